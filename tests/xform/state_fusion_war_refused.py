"""state-fusion refuses write-after-read: the second state overwrites a,
which the first reads; in one state nothing would keep the write after
the read."""
import numpy as np


# dfc: war(a: float64[N], b: float64[N])
def war(a, b):
    c = 2.0 * a
    a[:] = b
    return c
