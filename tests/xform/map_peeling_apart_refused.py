"""map-peeling refuses a map whose last iteration touches an element that
the others touch: a row sum accumulates every iteration into sum[i]
(x[:, 2:] tells dfc that M >= 2, so the map runs at least once)."""
import numpy as np


# dfc: kern(x: float64[N, M], s: float64[N])
def kern(x, s):
    s[:] = x[:, 2:].shape[1]
    s += np.sum(x[:, 1:], axis=1)
