"""sweep-blocking refuses a block width that is not positive."""
import numpy as np


# dfc: kern(X: float64[N, M])
def kern(X):
    d = X + 1.0
    return d * 2.0
