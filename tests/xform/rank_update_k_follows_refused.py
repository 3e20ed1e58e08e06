"""The loop over k runs up to the row: its range varies with the loop."""
import numpy as np


# dfc: k(C: float64[N, N], A: float64[N, N])
def k(C, A):
    for i in range(A.shape[0]):
        for k in range(i):
            C[i, :] += A[i, k] * A[:, k]
