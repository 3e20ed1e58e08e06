"""transposed-copy refuses: V has three dimensions; only 2-D arrays are
transposed."""
import numpy as np


# dfc: kern(C: float64[N, N], V: float64[N, M, M])
def kern(C, V):
    for i in range(V.shape[0]):
        for k in range(V.shape[1]):
            C[i, :i + 1] += V[i, k, 0] * V[:i + 1, k, 0]
