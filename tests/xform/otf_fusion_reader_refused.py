"""otf-map-fusion refuses when a reader of the temporary is not a map it
can fuse (here the dot product t @ t): t must stay, so the producer stays."""
import numpy as np


# dfc: mixed(a: float64[N])
def mixed(a):
    t = a * 2.0
    u = t[1:] + t[:-1]
    return u * (t @ t)
