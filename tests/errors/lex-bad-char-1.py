import numpy as np

# dfc: kern(A: float64[N], B: float64[N])
def kern(A, B):
    B[:] = A $ 2.0
