"""run-blocking takes a run of states only: a loop between them is
refused."""
import numpy as np


# dfc: kern(X: float64[N, M], T: int64)
def kern(X, T):
    d = X * 2.0
    for t in range(T):
        X += 1.0
    return d + X
