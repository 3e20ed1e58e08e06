"""The column factor B[i, _i0, k] varies with the row too."""
import numpy as np


# dfc: k(C: float64[N, N], A: float64[N, M], B: float64[N, N, M])
def k(C, A, B):
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            C[i, :] += A[i, k] * B[i, :, k]
