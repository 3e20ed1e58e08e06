import numpy as np


# dfc: k(a: int8[N])
def k(a):
    return np.sqrt(a)
