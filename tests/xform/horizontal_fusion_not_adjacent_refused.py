"""horizontal-map-fusion refuses maps that are neither in one state nor in
consecutive states: the statement between them would have to move."""
import numpy as np


# dfc: kern(x: float64[N], a: float64[N], b: float64[N], c: float64[N])
def kern(x, a, b, c):
    a[:] = x + 1.0
    c[:] = x - 1.0
    b[:] = x * 2.0
