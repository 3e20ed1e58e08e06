"""map-fusion refuses a producer whose tasklet reads at data-dependent
indices (a gather): its expression holds an EX_LOAD of a range connector."""
import numpy as np


# dfc: gather2(x: float64[N], idx: int64[N], y: float64[N])
def gather2(x, idx, y):
    t = x[idx]
    y[:] = t * 2.0
