"""horizontal-map-fusion refuses when a block between the two maps'
states is not a plain state (here a loop): only states are reordered
around the fused map."""
import numpy as np


# dfc: kern(x: float64[N], a: float64[N], b: float64[N], c: float64[N])
def kern(x, a, b, c):
    a[:] = x + 1.0
    for i in range(3):
        c[i] = x[i]
    b[:] = x * 2.0
