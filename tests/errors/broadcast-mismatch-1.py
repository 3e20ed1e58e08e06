import numpy as np


# dfc: add(A: float64[N, M], b: float64[K])
def add(A, b):
    C = A + b
    return C
