import numpy as np


# dfc: k(A: float64[N])
def k(A):
    with open("x") as f:
        A[0] = 1.0
