import numpy as np


# dfc: k(A: float64[N, M])
def k(A):
    B = A.reshape(-1)
    B[0] = 1.0
    return A
