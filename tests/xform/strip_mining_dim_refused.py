"""strip-mining refuses a dim that is not a parameter of the map."""
import numpy as np


# dfc: add2(A: float64[N, M], B: float64[N, M])
def add2(A, B):
    return A + B
