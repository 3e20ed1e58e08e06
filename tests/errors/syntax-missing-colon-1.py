import numpy as np

# dfc: kern(A: float64[N], N: int64)
def kern(A, N):
    for i in range(N)
        A[i] = 2.0 * A[i]
