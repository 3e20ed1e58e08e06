"""loop-to-map refuses a recurrence: iteration i reads x[i - 1], which
iteration i - 1 wrote (a loop-carried flow dependence)."""
import numpy as np


# dfc: prefix(x: float64[N])
def prefix(x):
    for i in range(1, x.shape[0]):
        x[i] = x[i - 1] + 1.0
