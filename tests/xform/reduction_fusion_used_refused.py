"""reduction-fusion refuses a temporary that is also read after the
reduction: t must stay."""
import numpy as np


# dfc: k(a: float64[N], b: float64[N])
def k(a, b):
    t = a * b
    s = np.sum(t)
    return s * t
