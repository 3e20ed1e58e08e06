"""map-fusion refuses when an input of the producer may be written between
the two maps: after state-fusion, the consumer's state also updates a."""
import numpy as np


# dfc: between(a: float64[N], b: float64[N])
def between(a, b):
    t = a * 2.0
    a += 1.0
    b[:] = t + a
