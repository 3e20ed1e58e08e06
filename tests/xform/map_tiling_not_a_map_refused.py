"""map-tiling refuses a site that is a loop, not a map."""
import numpy as np


# dfc: prefix(x: float64[N])
def prefix(x):
    for i in range(1, x.shape[0]):
        x[i] += x[i - 1]
