"""A loop of matrix-vector products (2-D @ 1-D), not of vectors or
matrices times a matrix."""
import numpy as np


# dfc: k(A: float64[N, M, K], v: float64[K], B: float64[N, M])
def k(A, v, B):
    for i in range(A.shape[0]):
        B[i, :] = A[i, :, :] @ v
