"""horizontal-map-fusion refuses when a state between the two maps must
move before the first (the second map reads what it computes) but
depends on the first's state: u is computed from the sum t."""
import numpy as np


# dfc: kern(x: float64[N], b: float64[N])
def kern(x, b):
    t = np.sum(x)
    u = t * 2.0
    b[:] = x * u
