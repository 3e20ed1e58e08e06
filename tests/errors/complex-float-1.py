import numpy as np


# dfc: k(c: complex128)
def k(c):
    return float(c)
