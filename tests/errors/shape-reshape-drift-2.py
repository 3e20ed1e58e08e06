import numpy as np


def bump(x):
    x[0] = 1.0


# dfc: k(A: float64[N, M])
def k(A):
    B = A.reshape(A.shape[1], A.shape[0])
    bump(A[0])
    return B
