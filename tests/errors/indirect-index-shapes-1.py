import numpy as np


# dfc: k(A: float64[N, N], i: int64[M], j: int64[K])
def k(A, i, j):
    return A[i, j]
