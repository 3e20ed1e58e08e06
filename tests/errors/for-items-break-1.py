import numpy as np


# dfc: k(x: float64[N], y: float64[N])
def k(x, y):
    for a in (x, y):
        if a[0] > 1.0:
            break
        a[0] = 1.0
