"""state-fusion refuses write-after-write: both states write b."""
import numpy as np


# dfc: waw(a: float64[N], b: float64[N])
def waw(a, b):
    b[:] = 2.0 * a
    b[0] = 1.0
