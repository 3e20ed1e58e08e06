"""loop-parallelize refuses a loop whose body holds a matrix-vector
product: -O3 hands it to OpenBLAS, whose threads would run beside the
loop's (only naive dots may run inside a parallel loop)."""
import numpy as np


# dfc: rows(A: float64[N, N], X: float64[N, N])
def rows(A, X):
    Y = np.empty((X.shape[0], A.shape[0]))
    for i in range(X.shape[0]):
        Y[i, :] = A @ X[i, :]
    return Y
