import numpy as np


def find(v, t):
    for i in range(v.shape[0]):
        if v[i] > t:
            return i
    return 0.5


# dfc: k(a: float64[N])
def k(a):
    return find(a, 1.0)
