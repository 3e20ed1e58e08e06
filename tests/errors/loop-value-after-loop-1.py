import numpy as np


# dfc: k(B: float64[N])
def k(B):
    n = B.shape[0]
    for i in range(n):
        q = i + 1
        r = B[i:]
    B[q - 1] = 3.0
