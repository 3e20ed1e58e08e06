import numpy as np


# dfc: k(z: complex64[N], x: float32[N])
def k(z, x):
    return np.mod(x, z)
