import numpy as np


# dfc: k(x: float64[N])
def k(x):
    for i in range(3):
        if x[i] > 0.5:
            return x[x > x[i]]
    return x[:0]
