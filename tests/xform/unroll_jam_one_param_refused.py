"""unroll-and-jam unrolls the first of two or more parameters: a 1-D map
has no inner loop for the copies to share."""
import numpy as np


# dfc: diff3(x: float64[N])
def diff3(x):
    s = np.sqrt(x)
    return s[:-2] + s[1:-1] + s[2:]
