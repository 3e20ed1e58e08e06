"""map-interchange of perfectly nested maps (made by map-expansion): the
outer and inner parameter lists swap and the memlets between the entries
and exits are recomputed; a row sum whose accumulation then conflicts
across the parallel outer loop, a shifted 2-D expression, and a 3-D map
whose outer pair of parameters trades places with its inner one."""
import numpy as np

# dfc-test: sizes N=6,M=5,K=4 | N=2,M=3,K=1
# dfc-test: script tests/xform/map_interchange_nested.recipe.yaml


# dfc: kern(A: float64[N, M], V: float64[N, M, K])
def kern(A, V):
    s = np.sum(A, axis=1)
    B = A[1:, :-1] - A[:-1, 1:]
    W = V[:, ::-1, 1:] * 2.0
    return s, B, W
