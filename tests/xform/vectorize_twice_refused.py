"""vectorize refuses a map that already carries the hint."""
import numpy as np


# dfc: k(a: float64[N])
def k(a):
    return a * 2.0
