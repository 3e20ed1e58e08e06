"""transposed-copy refuses: A is written inside the loop nest that reads
its columns, so a copy made before the nest would miss those writes."""
import numpy as np


# dfc: kern(C: float64[N, N], A: float64[N, M])
def kern(C, A):
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            C[i, :i + 1] += A[i, k] * A[:i + 1, k]
            A[i, k] = 0.5 * A[i, k]
