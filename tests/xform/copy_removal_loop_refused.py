"""redundant-copy-removal refuses case (b) when the copy sits in a loop
that writes its source: x changes while t still holds the copy taken in
the same iteration, so t cannot be replaced by x."""
import numpy as np


# dfc: kern(x: float64[N], y: float64[N], k: int64)
def kern(x, y, k):
    for i in range(k):
        t = x.copy()
        x[:] = x * 0.5
        y[:] = y + t
