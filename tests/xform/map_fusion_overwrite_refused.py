"""map-fusion refuses when the consumer writes an input of the producer:
the fused map would overwrite a while other iterations may still read it."""
import numpy as np


# dfc: bump(a: float64[N])
def bump(a):
    t = a * 2.0
    a[:] = t + 1.0
