import numpy as np


# dfc: k(z: complex128[N], x: float64[N])
def k(z, x):
    z.real[1:] = 2j
