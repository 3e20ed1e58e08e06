"""otf-map-fusion refuses when an input of the producer is written between
it and a reader: the recomputed t would see the new a[0]."""
import numpy as np


# dfc: over(a: float64[N])
def over(a):
    t = a * 2.0
    a[0] = 5.0
    return t[1:] + t[:-1]
