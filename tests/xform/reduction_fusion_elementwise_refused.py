"""reduction-fusion refuses a consumer that is no reduction (map-fusion's
business, and only from the next state)."""
import numpy as np


# dfc: k(a: float64[N], b: float64[N])
def k(a, b):
    t = a * b
    c = b + 1.0
    u = t * 2.0
    return u + c
