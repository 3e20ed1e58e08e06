import numpy as np

# dfc: kern(A: float64[N, -1])
def kern(A):
    A *= 2.0
