import numpy as np


# dfc: k(z: complex128[N])
def k(z):
    (z * 2).imag[0] = 1.0
