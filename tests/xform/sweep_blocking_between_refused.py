"""sweep-blocking refuses a site whose states are separated by a loop."""
import numpy as np


# dfc: kern(X: float64[N, M], v: float64[M])
def kern(X, v):
    d = X + 1.0
    for t in range(3):
        v[:] = v * 2.0
    return d * 2.0
