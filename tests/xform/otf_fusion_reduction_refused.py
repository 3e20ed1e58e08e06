"""otf-map-fusion refuses a producer that writes with write-conflict
resolution: a column sum is not computed one element per iteration."""
import numpy as np


# dfc: colsum(A: float64[N, M])
def colsum(A):
    s = np.sum(A, axis=0)
    return s[1:] + s[:-1]
