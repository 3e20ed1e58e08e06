import numpy as np

# dfc: kern(A: float64[N, M])
def kern(A):
    A[1:-1, 1:-1] = 0.5 * (A[:-2, 1:-1) + A[2:, 1:-1])
