"""A loop of matrix products (2-D @ 2-D), not of vectors."""
import numpy as np


# dfc: k(A: float64[N, M, K], W: float64[K, K])
def k(A, W):
    for i in range(A.shape[0]):
        A[i, :, :] = A[i, :, :] @ W
