"""transposed-copy refuses: the loop reads each element of A's columns
once, as many reads as the copy itself would make, so it cannot pay."""
import numpy as np


# dfc: kern(B: float64[M, N], A: float64[N, M])
def kern(B, A):
    for k in range(A.shape[1]):
        B[k, :] = 2.0 * A[:, k]
