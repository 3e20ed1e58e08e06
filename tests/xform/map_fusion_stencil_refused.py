"""map-fusion refuses a stencil consumer: it reads t[_i0 + 1] and t[_i0]
in the iteration where the producer writes only t[_i0], so fusing would
make each iteration recompute its neighbour's element."""
import numpy as np


# dfc: diff2(a: float64[N])
def diff2(a):
    t = a * 2.0
    return t[1:] - t[:-1]
