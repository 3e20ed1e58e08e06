"""syr2k's nest: two pairs, A[i, k] * B[p, k] and B[i, k] * A[p, k]; the
second product is the transpose of the first, so one product B @ A^T is
computed and the map reads it at [i, _i0] and at [_i0, i]."""
import numpy as np

# dfc-test: script tests/xform/rank_update_syr2k.recipe.yaml
# dfc-test: sizes N=6,M=4 | N=1,M=1 | N=9,M=11
# dfc-test: args alpha=1.5 beta=0.75


# dfc: syr2k(alpha: float64, beta: float64, C: float64[N, N], A: float64[N, M], B: float64[N, M])
def syr2k(alpha, beta, C, A, B):
    for i in range(A.shape[0]):
        C[i, :i + 1] *= beta
        for k in range(A.shape[1]):
            C[i, :i + 1] += alpha * (A[:i + 1, k] * B[i, k] + B[:i + 1, k] * A[i, k])
