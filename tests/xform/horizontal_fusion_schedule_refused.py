"""horizontal-map-fusion refuses maps with different schedules (the first
made sequential by map-schedule)."""
import numpy as np


# dfc: kern(x: float64[N], a: float64[N], b: float64[N])
def kern(x, a, b):
    a[:] = x + 1.0
    b[:] = x * 2.0
