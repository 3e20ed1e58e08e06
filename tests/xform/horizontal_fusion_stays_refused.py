"""horizontal-map-fusion refuses when a state between the two maps stays
after the fused map (the second does not depend on it) but conflicts
with the second: c reads b before the second map overwrites it."""
import numpy as np


# dfc: kern(x: float64[N], a: float64[N], b: float64[N], c: float64[N])
def kern(x, a, b, c):
    a[:] = x + 1.0
    c[:] = b + 1.0
    b[:] = x * 2.0
