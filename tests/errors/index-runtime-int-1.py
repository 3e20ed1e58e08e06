import numpy as np


# dfc: k(A: float64[N], idx: int64[M])
def k(A, idx):
    for i in range(idx.shape[0]):
        A[idx[i]:] += 1.0
