"""Two products of different matrices."""
import numpy as np


# dfc: k(A: float64[N, M], B: float64[N, M], x: float64[M], w: float64[N])
def k(A, B, x, w):
    return A @ x, w @ B
