"""sweep-blocking takes the first and the last state of a run: a map is
not a state."""
import numpy as np


# dfc: kern(X: float64[N, M])
def kern(X):
    d = X + 1.0
    return d * 2.0
