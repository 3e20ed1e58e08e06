"""matmul-scaling refuses a divided product plus the destination: 1 / s
would scale the A elements as the loops read them, which does not give
NumPy's Inf and NaN where s is 0."""
import numpy as np


# dfc: kern(s: float64, C: float64[N, M], A: float64[N, K], B: float64[K, M])
def kern(s, C, A, B):
    C[:, :] = (A @ B) / s + C
