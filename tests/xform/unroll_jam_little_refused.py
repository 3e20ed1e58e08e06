"""unroll-and-jam refuses a map whose rows read common elements but share
too little work: 2 * x[i + 1, j] in one row and sqrt(x[i + 1, j]) in the
next read one element and compute different values."""
import numpy as np


# dfc: mix(x: float64[N, M])
def mix(x):
    return 2.0 * x[1:, :] + np.sqrt(x[:-1, :])
