import numpy as np


# dfc: k(x: float64[N])
def k(x):
    s = 0.0
    for i in range(-2, 3):
        s += np.sum(x[::i])
    return s
