"""loop-to-map refuses a loop whose step is an integer parameter: its
iterations start + k*s are not affine in k and s, so the exact dependence
test cannot run (the body alone would be independent)."""
import numpy as np


# dfc: strided(x: float64[N], y: float64[N], s: int64)
def strided(x, y, s):
    for i in range(0, x.shape[0], s):
        y[i] = x[i] * 2.0
