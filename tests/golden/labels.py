import numpy as np


# dfc: scale(A: float64[N, M], x: float64[M])
def scale(A, x):
    for i in range(A.shape[0]):  # dfc: label rows
        A[i, :] = A[i, :] * x  # dfc: label row_scale
    return A.sum(axis=1)  # dfc: label total
