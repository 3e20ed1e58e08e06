"""The second product reads the first's result, but the first is w @ A."""
import numpy as np


# dfc: k(A: float64[N, N], w: float64[N])
def k(A, w):
    t = w @ A
    return A @ t
