"""horizontal-map-fusion refuses maps whose ranges differ (0:N against
0:N - 1)."""
import numpy as np


# dfc: kern(x: float64[N], a: float64[N], b: float64[N])
def kern(x, a, b):
    a[:] = x + 1.0
    b[1:] = x[1:] * 2.0
