"""horizontal-map-fusion refuses maps in states apart that read no
container in common: fusing them would save only a fork, and would keep
the state between (which consumes a) away from the data it reads."""
import numpy as np


# dfc: kern(x: float64[N], y: float64[N], a: float64[N], b: float64[N], c: float64[N])
def kern(x, y, a, b, c):
    a[:] = x + 1.0
    c[:] = a * 2.0
    b[:] = y * 2.0
