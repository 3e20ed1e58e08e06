import numpy as np


# dfc: k(z: complex128[N])
def k(z):
    return np.floor(z)
