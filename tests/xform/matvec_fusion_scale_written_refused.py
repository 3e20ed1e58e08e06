"""The second product's scale factor is an element of the first
product's result: the sweep would read it before the first product has
written it."""
import numpy as np


# dfc: k(x1: float64[N], x2: float64[M], y1: float64[M], y2: float64[N], A: float64[N, M])
def k(x1, x2, y1, y2, A):
    x1 += A @ y1
    x2[:] = x1[0] * (y2 @ A)
