import numpy as np


# dfc: k(A: int64[N], x: float64[N])
def k(A, x):
    A += x
