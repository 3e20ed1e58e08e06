"""The loop indexes x behind the block's rows: x[:, t, :] of x[N, T, D]."""
import numpy as np


# dfc: k(x: float64[N, T, D], W: float64[D, E], B: float64[T, N, E])
def k(x, W, B):
    for t in range(x.shape[1]):
        B[t] = x[:, t, :] @ W
