import numpy as np


# dfc: shift(u: float64[N])
def shift(u):
    inner = u[1:-1]
    inner[:] = u[:-2] + u[2:]
