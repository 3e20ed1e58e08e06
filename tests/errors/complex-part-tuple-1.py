import numpy as np


# dfc: k(z: complex128[N])
def k(z):
    z.real, z.imag = z.imag, z.real
