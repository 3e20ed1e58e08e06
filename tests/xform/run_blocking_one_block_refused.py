"""run-blocking refuses a run of 4 x 5 arrays: 20 elements, so one block
covers them (the maps' fork threshold kept them on one thread too)."""
import numpy as np


# dfc: kern(X: float64[4, 5])
def kern(X):
    d = X - np.max(X, axis=1, keepdims=True)
    return d * X
