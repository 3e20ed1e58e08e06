"""loop-blocking refuses a loop whose arrays have a constant length that
one block covers."""
import numpy as np


# dfc: kern(h: float64[T])
def kern(h):
    y = np.ones(8)
    for k in range(h.shape[0]):
        y *= h[k]
    return y
