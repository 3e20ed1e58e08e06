"""loop-to-matmul refuses a triangle whose columns end with the row
(X[:, :i + 1]): only a range that starts at the loop variable and ends
where the loop leaves it is a triangle of one product."""
import numpy as np


# dfc: kern(X: float64[N, M])
def kern(X):
    m = X.shape[1]
    out = np.zeros((m, m))
    for i in range(m):
        out[i, :i + 1] = X[:, i] @ X[:, :i + 1]
    return out
