"""sweep-blocking refuses a shrink parameter that is not a boolean."""
import numpy as np


# dfc: kern(X: float64[N, M])
def kern(X):
    d = X + 1.0
    return d * 2.0
