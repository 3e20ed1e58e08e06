"""rank-update-to-matmul on loops over k of no iteration: the row update
that replaces the loop must leave C as it was, not add an infinite scale
times an empty product (inf * 0 is NaN). Only sizes with M = 0 (with
M > 0 an infinite scale of the summed product and NumPy's sum of
infinite terms legitimately differ in their NaNs)."""
import numpy as np

# dfc-test: sizes N=5,M=0 | N=1,M=0 | N=9,M=0


# dfc: syrk_inf(C: float64[N, N], A: float64[N, M])
def syrk_inf(C, A):
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            C[i, :i + 1] += np.inf * A[i, k] * A[:i + 1, k]


# dfc: from_one(C: float64[N, N], A: float64[N, M])
def from_one(C, A):
    """k from 1: no iteration at M = 0 and at M = 1."""
    for i in range(A.shape[0]):
        for k in range(1, A.shape[1]):
            C[i, :] -= np.inf * A[i, k] * A[:, k]
