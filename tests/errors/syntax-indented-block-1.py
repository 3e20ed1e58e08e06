import numpy as np

# dfc: kern(A: float64[N])
def kern(A):
    for i in range(A.shape[0]):
    A[i] = 0.0
