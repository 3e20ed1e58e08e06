"""reduction-recognition refuses a loop that carries a dependence besides the
reduction: iteration i + 1 reads y[i], which iteration i wrote."""
import numpy as np


# dfc: carried(x: float64[N], y: float64[N])
def carried(x, y):
    s = 0.0
    for i in range(1, x.shape[0]):
        s += x[i]
        y[i] = y[i - 1] + 1.0
    return s
