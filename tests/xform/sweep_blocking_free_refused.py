"""sweep-blocking refuses a run that writes d and reads its column 0 in
every block: only the first block computes it (along the rows, the column
sums refuse)."""
import numpy as np


# dfc: kern(X: float64[N, M])
def kern(X):
    d = X + 1.0
    r = X * d[:, 0:1]
    return np.sum(r, axis=0)
