import numpy as np


# dfc: k(A: float64[N, M])
def k(A):
    B = A.ravel()
    A[0, 0] = 5.0
    return B
