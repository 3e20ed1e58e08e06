"""loop-parallelize refuses a loop that a break can leave early."""
import numpy as np


# dfc: kern(A: float64[N, M])
def kern(A):
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            A[i, k] = A[i, k] * 2.0
        if A[i, 0] > 2.5:
            break
