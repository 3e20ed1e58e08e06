import numpy as np


# dfc: k(A: float64[N, M])
def k(A):
    A.reshape(-1)[2:][0] = 1.0
    return A
