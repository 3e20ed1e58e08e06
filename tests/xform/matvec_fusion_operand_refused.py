"""One product scales its matrix operand ((s * A) @ y1, folded by
matmul-scaling into _scale_a): the sweep reads A as stored."""
import numpy as np


# dfc: k(s: float64, x1: float64[N], x2: float64[M], y1: float64[M], y2: float64[N], A: float64[N, M])
def k(s, x1, x2, y1, y2, A):
    x1[:] = (s * A) @ y1
    x2[:] = y2 @ A
