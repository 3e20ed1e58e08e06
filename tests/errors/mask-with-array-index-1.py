import numpy as np


# dfc: k(X: float64[N, M], m: bool[N], idx: int64[M])
def k(X, m, idx):
    X[m, idx] = 0.0
