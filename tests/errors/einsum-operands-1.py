import numpy as np


# dfc: k(A: float64[N, M], x: float64[M])
def k(A, x):
    return np.einsum("ij,j,j->i", A, x)
