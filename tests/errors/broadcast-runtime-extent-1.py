import numpy as np


# dfc: k(x: float64[N], y: float64[N, M])
def k(x, y):
    for i in range(-2, 2):
        x[i:] = y[i:]
