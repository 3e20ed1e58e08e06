"""map-tiling with local: true on a matmul-like map (i, k, j) summing
A[i, k] * B[k, j] into C[i, j]: each 8x16x8 tile copies an 8x16 block of A
and a 16x8 block of B (cut at the edges) into stack buffers; the sum is
written as before."""
import numpy as np

# dfc-test: script tests/xform/map_tiling_local_matmul.recipe.yaml
# dfc-test: sizes N=20,K=33,M=17 | N=5,K=3,M=4 | N=64,K=64,M=64 | N=1,K=1,M=1


# dfc: mm(A: float64[N, K], B: float64[K, M], C: float64[N, M])
def mm(A, B, C):
    C[:] = np.sum(A[:, :, None] * B[None, :, :], axis=1)
