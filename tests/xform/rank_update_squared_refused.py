"""The row factor squared: not one row element times one column element."""
import numpy as np


# dfc: k(C: float64[N, N], A: float64[N, M])
def k(C, A):
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            C[i, :] += A[i, k] * A[i, k] * A[:, k]
