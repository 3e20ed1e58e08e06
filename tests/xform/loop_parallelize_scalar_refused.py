"""loop-parallelize refuses a loop whose scalar t carries a value from
one iteration to the next."""
import numpy as np


# dfc: kern(A: float64[N, M])
def kern(A):
    t = 0.0
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            t = t * 0.5 + A[i, k]
        A[i, 0] = t
