"""map-expansion needs a map over at least two parameters: a 1-D map has
nothing to split."""
import numpy as np


# dfc: kern(x: float64[N])
def kern(x):
    return x * 2.0 + 1.0
