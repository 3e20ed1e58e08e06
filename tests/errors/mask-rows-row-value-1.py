import numpy as np


# dfc: k(X: float64[N, M], m: bool[N], v: float64[N, M])
def k(X, m, v):
    X[m] = v
