"""loop-parallelize refuses a loop whose nested loop makes iterations
write one element: i + k is the same for (i, k + 1) and (i + 1, k)."""
import numpy as np


# dfc: kern(B: float64[N, N], A: float64[N, M])
def kern(B, A):
    for i in range(A.shape[0]):
        for k in range(A.shape[0] - i):
            B[i + k, 0] = B[i + k, 0] + A[i, 0]
