"""transpose-tiling refuses a constant extent of fewer than two tiles (a
cost rule: one tile is no tiling)."""
import numpy as np


# dfc: small_t(A: float64[40, 40])
def small_t(A):
    return A + A.T
