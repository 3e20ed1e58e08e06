"""loop-parallelize refuses a loop whose iteration i reads row i - 1,
which iteration i - 1 writes."""
import numpy as np


# dfc: kern(A: float64[N, M])
def kern(A):
    for i in range(1, A.shape[0]):
        for k in range(A.shape[1]):
            A[i, k] = A[i, k] + 0.5 * A[i - 1, k]
