"""transpose-tiling refuses a map that walks every array along its rows:
it transposes nothing."""
import numpy as np


# dfc: add2(A: float64[N, M], B: float64[N, M])
def add2(A, B):
    return A + 2.0 * B
