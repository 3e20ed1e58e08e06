"""map-fusion refuses a temporary that a third map also reads: t is used
by c and by d, so the producer cannot disappear into either of them."""
import numpy as np


# dfc: twice(a: float64[N], b: float64[N])
def twice(a, b):
    t = a * b
    c = t + 1.0
    d = t * 2.0
    return c + d
