import numpy as np


# dfc: k(A: float64[N])
def k(A):
    if A > 0:
        A[0] = 1.0
