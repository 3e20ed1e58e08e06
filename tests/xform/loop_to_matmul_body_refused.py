"""The body computes the vector before the product."""
import numpy as np


# dfc: k(A: float64[M, K], W: float64[K, N], B: float64[M, N])
def k(A, W, B):
    for i in range(A.shape[0]):
        B[i, :] = (A[i, :] + 1.0) @ W
