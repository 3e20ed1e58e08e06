"""map-collapse needs a map perfectly nested in the site: a flat 2-D map
holds a tasklet, not an inner map."""
import numpy as np


# dfc: kern(A: float64[N, M])
def kern(A):
    return A * A
