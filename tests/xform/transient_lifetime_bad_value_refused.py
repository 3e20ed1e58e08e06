"""transient-lifetime takes lifetime 'call' or 'handle' only."""
import numpy as np


# dfc: kern(x: float64[N])
def kern(x):
    t = x * 2.0
    return t[::-1] + x
