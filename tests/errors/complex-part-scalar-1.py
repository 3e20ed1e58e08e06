import numpy as np


# dfc: k(z: complex128[N])
def k(z):
    z[0].real = 1.0
