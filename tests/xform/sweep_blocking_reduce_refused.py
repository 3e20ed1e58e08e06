"""sweep-blocking refuses reductions over the blocked parameter: the row
sums s add every column, the column sums t every row, so no block of
columns (or of rows) could divide by them before all blocks are summed
(X is square, so every map ranges over 0:N along both)."""
import numpy as np


# dfc: kern(X: float64[N, N])
def kern(X):
    s = np.sum(X, axis=1)
    t = np.sum(X, axis=0)
    return X / s[:, None] / t
