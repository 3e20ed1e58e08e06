"""loop-blocking refuses a loop that writes a scalar, which every block
would write."""
import numpy as np


# dfc: kern(x: float64[N], h: float64[T])
def kern(x, h):
    s = 0.0
    for k in range(h.shape[0]):
        x *= h[k]
        s += np.sum(x)
    return s
