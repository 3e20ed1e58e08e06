"""loop-blocking refuses a block width that is not positive."""
import numpy as np


# dfc: kern(x: float64[N], h: float64[T])
def kern(x, h):
    for k in range(h.shape[0]):
        x *= h[k]
