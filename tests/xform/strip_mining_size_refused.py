"""strip-mining refuses a strip size that is not positive."""
import numpy as np


# dfc: scale(x: float64[N])
def scale(x):
    x[:] = x * 2.0
