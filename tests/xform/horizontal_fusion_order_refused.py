"""horizontal-map-fusion refuses a second map that comes before the
first: the second must be in the first's state or in a later state of
the same block list."""
import numpy as np


# dfc: kern(x: float64[N], a: float64[N], b: float64[N], c: float64[N])
def kern(x, a, b, c):
    a[:] = x + 1.0
    c[:] = x - 1.0
    b[:] = x * 2.0
