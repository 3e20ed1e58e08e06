import numpy as np


# dfc: k(x: float64)
def k(x):
    return np.diff(x)
