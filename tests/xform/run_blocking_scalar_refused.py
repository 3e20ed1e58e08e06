"""run-blocking refuses a run that writes a scalar, which every block
would write."""
import numpy as np


# dfc: kern(X: float64[N, M])
def kern(X):
    s = np.sum(X)
    return X * s
