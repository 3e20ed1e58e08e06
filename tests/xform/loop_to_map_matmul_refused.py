"""loop-to-map refuses a loop whose body holds a library node (a matrix
product): the emitter runs library nodes only outside maps."""
import numpy as np


# dfc: products(A: float64[K, N, N], B: float64[N, N], C: float64[K, N, N])
def products(A, B, C):
    for k in range(A.shape[0]):
        C[k] = A[k] @ B
