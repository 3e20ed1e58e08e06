"""padding refuses a 1-D array: it has a single row, nothing to pad."""
import numpy as np


# dfc: kern(x: float64[N])
def kern(x):
    t = 2.0 * x
    return t + 1.0
