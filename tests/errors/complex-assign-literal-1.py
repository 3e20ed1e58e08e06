import numpy as np


# dfc: k(x: float64[N])
def k(x):
    x[0] = 2j
