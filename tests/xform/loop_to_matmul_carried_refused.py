"""Each product reads the row the previous iteration wrote."""
import numpy as np


# dfc: k(A: float64[M, K], W: float64[K, K])
def k(A, W):
    for i in range(1, A.shape[0]):
        A[i, :] = A[i - 1, :] @ W
