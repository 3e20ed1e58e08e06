"""matmul-scaling refuses to fold a scaled operand that has another use
(the scaled array is returned too)."""
import numpy as np


# dfc: kern(alpha: float64, A: float64[N, K], x: float64[K])
def kern(alpha, A, x):
    T = alpha * A
    return T @ x, T
