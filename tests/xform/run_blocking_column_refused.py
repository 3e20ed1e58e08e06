"""run-blocking refuses a run whose reduction sums down the columns: its
blocked parameter (the column) is not its map's first, so a block would
run the rows' loop on one thread."""
import numpy as np


# dfc: kern(X: float64[N, M])
def kern(X):
    s = np.sum(X, axis=0)
    return s * s
