"""The loop scales row i of A before its updates: the product before the
loop would read A unscaled."""
import numpy as np


# dfc: k(C: float64[N, N], A: float64[N, M])
def k(C, A):
    for i in range(A.shape[0]):
        A[i, :] *= 0.5
        for k in range(A.shape[1]):
            C[i, :i + 1] += A[i, k] * A[:i + 1, k]
