import numpy as np


# dfc: k(A: float64[N], B: float64[N])
def k(A, C):
    A[:] = C
