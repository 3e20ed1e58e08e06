"""redundant-copy-removal refuses case (b) when the destination is written
after the copy: t[0] = 5.0 changes t but not x, so reads of t cannot read
x instead."""
import numpy as np


# dfc: kern(x: float64[N], y: float64[N])
def kern(x, y):
    t = x.copy()
    t[0] = 5.0
    y[:] = t * 2.0
