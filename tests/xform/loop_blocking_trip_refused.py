"""loop-blocking refuses a loop of one iteration (a constant): blocking
pays off from two."""
import numpy as np


# dfc: kern(x: float64[N], h: float64[T])
def kern(x, h):
    for k in range(1):
        x *= h[k]
