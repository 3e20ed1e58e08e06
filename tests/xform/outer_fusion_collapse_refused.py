"""outer-map-fusion refuses a 3-D map beside a 1-D one: its parallel loop
collapses its first two parameters, the fused map's would run over the
first only."""
import numpy as np


# dfc: kern(x: float64[N, M, K], a: float64[N, M, K], v: float64[N], b: float64[N])
def kern(x, a, v, b):
    a[:, :, :] = x + 1.0
    b[:] = v * 2.0
