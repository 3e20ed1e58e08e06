"""loop-blocking refuses a loop writing arrays of different lengths along
their first dimension: one range of blocks cannot cover both."""
import numpy as np


# dfc: kern(x: float64[N], y: float64[M], h: float64[T])
def kern(x, y, h):
    for k in range(h.shape[0]):
        x *= h[k]
        y += h[k]
