import numpy as np


def update(v):
    if v[0] > 1.0:
        return
    v[0] = 1.0
    return v


# dfc: k(a: float64[N])
def k(a):
    update(a)
