"""map-fusion refuses a consumer that is not in the producer's state or
the state right after it: a statement runs in between."""
import numpy as np


# dfc: distant(a: float64[N], b: float64[N])
def distant(a, b):
    t = a * 2.0
    b[:] = a
    return t + 1.0
