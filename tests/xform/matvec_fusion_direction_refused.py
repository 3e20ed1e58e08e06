"""A.T @ x and w @ A both run down the columns of A."""
import numpy as np


# dfc: k(A: float64[N, N], x: float64[N], w: float64[N])
def k(A, x, w):
    return A.T @ x, w @ A
