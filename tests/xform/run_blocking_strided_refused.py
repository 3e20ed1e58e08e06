"""run-blocking refuses a run that reads X.T: a block of its rows is a
block of X's columns, short runs at a stride."""
import numpy as np


# dfc: kern(X: float64[N, N])
def kern(X):
    d = X * 2.0
    return d + X.T
