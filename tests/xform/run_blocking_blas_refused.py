"""run-blocking refuses a run in a kernel that calls BLAS: its loop over
blocks would fork while OpenBLAS's threads spin."""
import numpy as np


# dfc: kern(X: float64[N, M], W: float64[M, K])
def kern(X, W):
    t = X * 2.0
    u = t + X
    return u @ W
