import numpy as np


# dfc: f(z: complex128[N])
def f(z):
    r = z.real
    z[:] = z * 2
    return r * 1.0
