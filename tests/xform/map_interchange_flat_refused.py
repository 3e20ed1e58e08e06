"""map-interchange of a 1-D map: there is one loop only, and no inner map
to trade places with."""
import numpy as np


# dfc: kern(x: float64[N])
def kern(x):
    return x - 1.0
