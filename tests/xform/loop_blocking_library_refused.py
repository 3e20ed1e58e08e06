"""loop-blocking refuses a loop whose body holds a library node (a
matrix-vector product), which it cannot restrict to a block."""
import numpy as np


# dfc: kern(A: float64[N, N], x: float64[N], T: int64)
def kern(A, x, T):
    for k in range(T):
        x = A @ x
    return x
