"""vectorize refuses a map that is not innermost: after map-expansion the
outer map holds the inner one."""
import numpy as np


# dfc: k(a: float64[N, M])
def k(a):
    return a * 2.0
