"""matmul-scaling refuses when the product is used elsewhere (it is
returned too)."""
import numpy as np


# dfc: kern(alpha: float64, C: float64[N, M], A: float64[N, K], B: float64[K, M])
def kern(alpha, C, A, B):
    P = A @ B
    C[:, :] = alpha * P + C
    return P
