import numpy as np


# dfc: k(z: complex128[N, N], x: float64[N])
def k(z, x):
    for row in z.imag:
        row += 1.0
