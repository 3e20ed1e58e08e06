import numpy as np


# dfc: k(a: complex128, b: float64)
def k(a, b):
    return complex(b, a)
