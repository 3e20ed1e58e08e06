"""The matrix changes with the loop."""
import numpy as np


# dfc: k(A: float64[M, K], W: float64[M, K, K])
def k(A, W):
    for i in range(A.shape[0]):
        A[i, :] = A[i, :] @ W[i, :, :]
