"""map-tiling refuses tile sizes that are not integers."""
import numpy as np


# dfc: scale(x: float64[N])
def scale(x):
    x[:] = x * 2.0
