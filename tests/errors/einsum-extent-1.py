import numpy as np


# dfc: k(A: float64[N, M], x: float64[N])
def k(A, x):
    return np.einsum("ij,j->i", A, x)
