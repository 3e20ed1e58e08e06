import numpy as np


# dfc: k(x: float64[N])
def k(x):
    x.imag = 1.0
