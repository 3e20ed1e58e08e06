"""vectorize refuses a width that is not a power of two."""
import numpy as np


# dfc: k(a: float64[N])
def k(a):
    return a * 2.0
