"""A is written between the two products."""
import numpy as np


# dfc: k(A: float64[N, M], x: float64[M])
def k(A, x):
    t = A @ x
    A[0, 0] = 2.0
    return A.T @ t
