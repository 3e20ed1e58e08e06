"""The body has a branch after the product."""
import numpy as np


# dfc: k(A: float64[M, K], W: float64[K, N], B: float64[M, N], t: float64)
def k(A, W, B, t):
    for i in range(A.shape[0]):
        B[i, :] = A[i, :] @ W
        if t > 0.5:
            B[i, 0] = t
