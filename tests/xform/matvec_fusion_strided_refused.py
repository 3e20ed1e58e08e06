"""The matrix is every other row of A."""
import numpy as np


# dfc: k(A: float64[N, M], x: float64[M], w: float64[N])
def k(A, x, w):
    return A[::2] @ x, w[::2] @ A[::2]
