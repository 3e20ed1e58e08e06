"""loop-to-matmul on doitgen: the inner loop of in-place vector-matrix
products becomes one product of M rows into a transient, the copy back a map."""
import numpy as np

# dfc-test: script tests/xform/loop_to_matmul_doitgen.recipe.yaml
# dfc-test: sizes N=3,M=5,K=7 | N=1,M=1,K=1 | N=2,M=9,K=4


# dfc: doitgen(A: float64[N, M, K], C4: float64[K, K])
def doitgen(A, C4):
    for r in range(A.shape[0]):
        for q in range(A.shape[1]):
            A[r, q, :] = A[r, q, :] @ C4
