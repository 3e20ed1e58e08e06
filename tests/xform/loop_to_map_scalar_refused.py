"""loop-to-map refuses a sum kept in a scalar: every iteration reads and
writes s, so each depends on the one before (flow, anti and output
dependences on the 0-d container s)."""
import numpy as np


# dfc: total(x: float64[N])
def total(x):
    s = 0.0
    for i in range(x.shape[0]):
        s = s + x[i]
    return s
