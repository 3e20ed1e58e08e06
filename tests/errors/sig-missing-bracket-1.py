import numpy as np

# dfc: kern(A: float64[N, M, x: float64[M])
def kern(A, x):
    A *= x
