import numpy as np


def pick(x):
    if x > 1.0:
        return x


# dfc: k(a: float64[N])
def k(a):
    return pick(a[0])
