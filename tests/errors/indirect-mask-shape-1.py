import numpy as np


# dfc: k(A: float64[N, M], m: bool[M])
def k(A, m):
    return np.sum(A[m])
