"""The loop reads every other row of A."""
import numpy as np


# dfc: k(A: float64[M, K], W: float64[K, N], B: float64[M, N])
def k(A, W, B):
    for i in range(A.shape[0] // 2):
        B[i, :] = A[2 * i, :] @ W
