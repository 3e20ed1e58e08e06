"""map-tiling refuses a tile size that is not positive."""
import numpy as np


# dfc: add2(A: float64[N, M], B: float64[N, M])
def add2(A, B):
    return A + B
