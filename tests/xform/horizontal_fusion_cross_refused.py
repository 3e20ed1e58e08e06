"""horizontal-map-fusion refuses when a state that must move before the
first map's state (the second map reads the d it writes) would cross a
state that stays after the fused map and reads the old d."""
import numpy as np


# dfc: kern(x: float64[N], a: float64[N], b: float64[N], c: float64[N], d: float64[N])
def kern(x, a, b, c, d):
    a[:] = x + 1.0
    c[:] = d + 1.0
    d[:] = x * 3.0
    b[:] = x * d
