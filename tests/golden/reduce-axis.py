import numpy as np


# dfc: colmean(X: float32[N, M])
def colmean(X):
    return np.mean(X, axis=0, keepdims=True)
