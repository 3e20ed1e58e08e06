"""The blocks are read transposed (x[t].T): their rows are columns of x."""
import numpy as np


# dfc: k(x: float64[T, D, N], W: float64[D, E], B: float64[T, N, E])
def k(x, W, B):
    for t in range(x.shape[0]):
        B[t] = x[t].T @ W
