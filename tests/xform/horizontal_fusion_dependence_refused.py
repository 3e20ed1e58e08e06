"""horizontal-map-fusion refuses two maps where the second reads what the
first writes: in one map, b[i] could be computed before a[i]."""
import numpy as np


# dfc: kern(x: float64[N], a: float64[N], b: float64[N])
def kern(x, a, b):
    a[:] = x + 1.0
    b[:] = a * 2.0
