import numpy as np


# dfc: total(A: float64[N])
def total(A):
    s = 0
    for i in range(A.shape[0]):
        s = s + A[i]
    return s
