"""stride-interchange of a 1-D map: there is one loop only."""
import numpy as np


# dfc: scale(v: float64[N])
def scale(v):
    return v * 2.0
