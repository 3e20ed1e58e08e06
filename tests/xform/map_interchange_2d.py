"""map-interchange of single maps: a transposed copy with its two loops
swapped (default), a 3-D map permuted with order: [2, 0, 1], and a column
sum (WCR on the first axis) whose accumulating loop becomes the outer one."""
import numpy as np

# dfc-test: sizes N=6,M=7,K=3 | N=1,M=4,K=2
# dfc-test: script tests/xform/map_interchange_2d.recipe.yaml


# dfc: kern(A: float64[N, M], V: float64[N, M, K])
def kern(A, V):
    B = A.T * 2.0
    W = V[:, ::-1, :] + V[:, :, ::-1]
    s = np.sum(A, axis=0)
    return B, W, s
