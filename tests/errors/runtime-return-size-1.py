import numpy as np


# dfc: k(x: float64[N])
def k(x):
    n = int(x[0])
    return np.zeros(n)
