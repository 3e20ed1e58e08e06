"""The body writes the block before its product reads it."""
import numpy as np


# dfc: k(x: float64[T, N, D], W: float64[D, E], B: float64[T, N, E])
def k(x, W, B):
    for t in range(x.shape[0]):
        x[t] = x[t] * 0.5
        B[t] = x[t] @ W
