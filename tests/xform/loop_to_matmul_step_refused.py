"""The loop steps by 2."""
import numpy as np


# dfc: k(A: float64[M, K], W: float64[K, N], B: float64[M, N])
def k(A, W, B):
    for i in range(0, A.shape[0], 2):
        B[i, :] = A[i, :] @ W
