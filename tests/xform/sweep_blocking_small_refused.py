"""sweep-blocking refuses constant ranges too short to block (12 columns,
10 rows: under the 16 elements the pass asks for)."""
import numpy as np


# dfc: kern(X: float64[10, 12])
def kern(X):
    d = X + 1.0
    return d * 2.0
