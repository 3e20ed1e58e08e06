import numpy as np


# dfc: eig(A: float64[N, N])
def eig(A):
    return np.linalg.eig(A)
