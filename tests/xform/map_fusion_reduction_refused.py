"""map-fusion refuses a producer that writes with write-conflict
resolution: the column sums accumulate over every row, not one element
per iteration."""
import numpy as np


# dfc: colsum(A: float64[N, M])
def colsum(A):
    s = np.sum(A, axis=0)
    return s * 2.0
