"""loop-blocking refuses a loop that writes one row of a matrix: dimension
0 of what it writes follows no parameter of the map."""
import numpy as np


# dfc: kern(A: float64[N, M], h: float64[T])
def kern(A, h):
    for k in range(h.shape[0]):
        A[0, :] *= h[k]
