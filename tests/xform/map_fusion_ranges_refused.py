"""map-fusion refuses maps with different ranges: the consumer runs over
the first N - 1 elements of t only."""
import numpy as np


# dfc: head(a: float64[N])
def head(a):
    t = a * 2.0
    return t[:-1] + 1.0
