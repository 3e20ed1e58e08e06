"""loop-blocking refuses a loop whose maps read what it writes at another
element than they write: y[i + 1] takes x[i], which another block may
compute."""
import numpy as np


# dfc: kern(x: float64[N], y: float64[N], g: float64[T])
def kern(x, y, g):
    for k in range(g.shape[0]):
        y[1:] = x[:-1] * g[k]
        x[1:] = x[1:] + y[1:]
