"""reduction-fusion refuses a reduction over part of the temporary: the
ranges of the two maps differ."""
import numpy as np


# dfc: k(a: float64[N], b: float64[N])
def k(a, b):
    t = a * b
    s = np.sum(t[:3])
    return s
