import numpy as np


# dfc: k(A: float64[N, M])
def k(A):
    s = 0
    for i in range(A.shape[0]):
        s += np.argmax(A[i, :i])
    return s
