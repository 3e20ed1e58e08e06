"""run-blocking refuses a run whose maps share no array: no block would
be found in the cache."""
import numpy as np


# dfc: kern(X: float64[N, M], Y: float64[N, M])
def kern(X, Y):
    a = X * 2.0
    b = Y + 1.0
    return a, b
