"""map-tiling refuses a tile list whose length is not the number of map
parameters."""
import numpy as np


# dfc: add2(A: float64[N, M], B: float64[N, M])
def add2(A, B):
    return A + B
