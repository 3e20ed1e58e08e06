"""otf-map-fusion refuses a reader that reads elements the producer did not
write: t[0] is never computed, so it cannot be recomputed either."""
import numpy as np


# dfc: partial(a: float64[N])
def partial(a):
    t = np.empty_like(a)
    t[1:] = a[1:] * 2.0
    return t[:-1] + t[1:]
