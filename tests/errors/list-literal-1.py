import numpy as np


# dfc: k(A: float64[N])
def k(A):
    w = [1.0, 2.0]
    A[0] = w[0]
