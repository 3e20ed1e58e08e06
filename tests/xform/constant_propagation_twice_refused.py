"""constant-propagation refused: c is assigned twice (2.0, then 3.0), so
the frontend keeps it as a scalar transient written by two states; a read
after the second write would see 3.0, not the constant of state_L11."""
import numpy as np

# dfc-test: sizes N=1 | N=17


# dfc: twice(A: float64[N], B: float64[N])
def twice(A, B):
    c = 2.0
    B[:] = A * c
    c = 3.0
    B[:] = B + c
