"""horizontal-map-fusion refuses to take a map out of the next state when
that state holds more than the map (here state-fusion put b's and c's maps
together): what stays behind might depend on it."""
import numpy as np


# dfc: kern(x: float64[N], a: float64[N], b: float64[N], c: float64[N])
def kern(x, a, b, c):
    a[:] = x + 1.0
    b[:] = x * 2.0
    c[:] = x - 1.0
