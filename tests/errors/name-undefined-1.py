import numpy as np


# dfc: scale(A: float64[N])
def scale(A):
    A[:] = A * factor
