"""sweep-blocking refuses a run that writes d and reads it transposed: a
block of columns of d.T is a block of rows of d, which other blocks
compute."""
import numpy as np


# dfc: kern(X: float64[N, N])
def kern(X):
    d = X + 1.0
    return d.T * 2.0
