"""transient-lifetime refuses to keep an array that lives on the stack in
the handle: a stack array belongs to one call."""
import numpy as np


# dfc: kern(x: float64[N])
def kern(x):
    z = np.zeros(8)
    z[1:3] = 2.0
    return x * z[1]
