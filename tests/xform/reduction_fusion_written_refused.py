"""reduction-fusion refuses when an input of the producer is overwritten
between the two maps: the fused map would read the new value."""
import numpy as np


# dfc: k(a: float64[N], b: float64[N])
def k(a, b):
    t = a * b
    a[0] = 5.0
    s = np.sum(t)
    return s
