import numpy as np


# dfc: k(A: float64[N, M, K], x: float64[K])
def k(A, x):
    return np.einsum("...k,k->...", A, x)
