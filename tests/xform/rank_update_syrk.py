"""syrk's nest: the loop over k of rank-1 updates of row i becomes one
product A @ A^T before the loop over rows (the same matrix twice: ?syrk),
and the map over the row's triangle adds alpha * prod[i, _i0]; the scaling
by beta stays where it was."""
import numpy as np

# dfc-test: script tests/xform/rank_update_syrk.recipe.yaml
# dfc-test: sizes N=6,M=4 | N=1,M=0 | N=9,M=11
# dfc-test: args alpha=1.5 beta=0.75


# dfc: syrk(alpha: float64, beta: float64, C: float64[N, N], A: float64[N, M])
def syrk(alpha, beta, C, A):
    for i in range(A.shape[0]):
        C[i, :i + 1] *= beta
        for k in range(A.shape[1]):
            C[i, :i + 1] += alpha * A[i, k] * A[:i + 1, k]
