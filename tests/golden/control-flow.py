import numpy as np


# dfc: count(A: float64[N], t: float64)
def count(A, t):
    c = 0.0
    for i in range(0, A.shape[0], 2):
        if A[i] > t:
            c += 1.0
        elif A[i] < -t:
            continue
        else:
            break
    return c
