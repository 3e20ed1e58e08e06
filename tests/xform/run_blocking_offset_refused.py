"""run-blocking refuses a run that writes d and reads it one row before
the row it writes: that row may lie in the previous block."""
import numpy as np


# dfc: kern(X: float64[N, M])
def kern(X):
    d = X * 2.0
    X[1:] += d[:-1]
    return d
