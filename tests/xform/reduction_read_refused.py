"""reduction-recognition refuses a loop that also reads the accumulator: y[i]
sees the running sum, which a map's reduction does not have."""
import numpy as np


# dfc: running(x: float64[N], y: float64[N])
def running(x, y):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i]
        y[i] = s
