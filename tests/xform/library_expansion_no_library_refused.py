"""library-expansion refuses a state without a library node."""
import numpy as np


# dfc: axpy(a: float64, x: float64[N], y: float64[N])
def axpy(a, x, y):
    y[:] = a * x + y
