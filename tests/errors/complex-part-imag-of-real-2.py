import numpy as np


# dfc: k(x: float32[N])
def k(x):
    x.imag[1:] += 1.0
