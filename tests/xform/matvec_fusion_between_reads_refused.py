"""The state between the products computes the second one's scale factor
from the first one's result (x1[0] * 2.0): it cannot move before the
sweep."""
import numpy as np


# dfc: k(x1: float64[N], x2: float64[M], y1: float64[M], y2: float64[N], A: float64[N, M])
def k(x1, x2, y1, y2, A):
    x1 += A @ y1
    x2[:] = (x1[0] * 2.0) * (y2 @ A)
