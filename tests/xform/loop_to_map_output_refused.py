"""loop-to-map refuses a loop where every iteration overwrites the same
element: the result is the last iteration's value (a loop-carried output
dependence on y)."""
import numpy as np


# dfc: last(x: float64[N], y: float64[N])
def last(x, y):
    for i in range(x.shape[0]):
        y[0] = x[i]
