"""redundant-copy-removal between two transients, refused both ways: C is
used after t = C.copy() (case a), and it is written while t still holds
the copy (case b)."""
import numpy as np


# dfc: kern(A: float64[N], B: float64[N])
def kern(A, B):
    C = A + B
    t = C.copy()
    C[0] = 0.0
    return t * C
