"""loop-parallelize marks syrk's row loop parallel: its body holds a
state and a nested loop, and iteration i writes only row i of C."""
import numpy as np

# dfc-test: script tests/xform/loop_parallelize_triangular.recipe.yaml
# dfc-test: sizes N=9,M=7 | N=1,M=2


# dfc: kern(C: float64[N, N], A: float64[N, M])
def kern(C, A):
    for i in range(A.shape[0]):
        C[i, :i + 1] *= 0.5
        for k in range(A.shape[1]):
            C[i, :i + 1] += A[i, k] * A[:i + 1, k]
