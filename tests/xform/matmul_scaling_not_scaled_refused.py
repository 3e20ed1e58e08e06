"""matmul-scaling refuses a tasklet that is not a scaled product plus a
scaled destination (here a difference)."""
import numpy as np


# dfc: kern(alpha: float64, beta: float64, C: float64[N, M], A: float64[N, K], B: float64[K, M])
def kern(alpha, beta, C, A, B):
    C[:, :] = alpha * (A @ B) - beta * C
