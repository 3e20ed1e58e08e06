"""Each product reads the block the previous iteration wrote."""
import numpy as np


# dfc: k(x: float64[T, N, D], W: float64[D, D])
def k(x, W):
    for t in range(x.shape[0] - 1):
        x[t + 1] = x[t] @ W
