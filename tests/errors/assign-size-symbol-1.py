import numpy as np


# dfc: k(A: float64[n], n: int64)
def k(A, n):
    n = n + 1
    A[0] = n
