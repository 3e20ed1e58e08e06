"""loop-blocking refuses a loop that runs its iterations in parallel
already (loop-parallelize made it so: its rows are independent)."""
import numpy as np


# dfc: kern(A: float64[N, M], h: float64[T])
def kern(A, h):
    for i in range(A.shape[0]):
        for k in range(h.shape[0]):
            A[i, :] *= h[k]
