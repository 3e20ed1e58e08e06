"""transposed-copy refuses: the map reads rows of A (unit stride in its
parameter), which a transposed copy would make strided."""
import numpy as np


# dfc: kern(C: float64[N, M], A: float64[N, M])
def kern(C, A):
    for i in range(C.shape[0]):
        for k in range(A.shape[0]):
            C[i, :] += A[i, 0] * A[k, :]
