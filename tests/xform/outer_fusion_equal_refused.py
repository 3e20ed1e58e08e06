"""outer-map-fusion refuses maps over equal ranges without nested maps:
that is horizontal-map-fusion's case (which keeps their hints)."""
import numpy as np


# dfc: kern(x: float64[N], a: float64[N], b: float64[N])
def kern(x, a, b):
    a[:] = x + 1.0
    b[:] = x * 2.0
