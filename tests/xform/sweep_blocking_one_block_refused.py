"""sweep-blocking refuses a block width that covers the whole range (size:
128 over 100 columns and 20 rows): one block is no blocking."""
import numpy as np


# dfc: kern(X: float64[20, 100])
def kern(X):
    d = X + 1.0
    return d * 2.0
