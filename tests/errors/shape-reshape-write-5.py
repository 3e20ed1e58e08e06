import numpy as np


# dfc: k(A: float64[N, M])
def k(A):
    B = A.reshape(A.shape[1], A.shape[0])
    np.reshape(A, (-1,))[0] = 5.0
    return B
