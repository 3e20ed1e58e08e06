"""map-interchange's order must be a permutation of the map's parameter
positions: [0, 0] names the first parameter twice."""
import numpy as np


# dfc: kern(A: float64[N, M])
def kern(A):
    return A.T + 1.0
