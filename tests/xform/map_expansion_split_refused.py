"""map-expansion's split counts the outer parameters: a 3-D map can keep
one or two of them outside, not three."""
import numpy as np


# dfc: kern(V: float64[N, M, K])
def kern(V):
    return V + 1.0
