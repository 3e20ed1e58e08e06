"""loop-to-map accepts a dot product in the body (a matmul library node
of two vectors, which the emitter runs as a naive loop anywhere): the lags
of an autocorrelation are independent, the dot's scalar result is private
to an iteration, so the loop over lags becomes a parallel map. Products
with a matrix operand are still refused (loop_to_map_matmul_refused)."""
import numpy as np

# dfc-test: sizes N=5,K=1 | N=30,K=7
# dfc-test: script tests/xform/loop_to_map_dot.recipe.yaml


# dfc: kern(d: float64[N], K: int64)
def kern(d, K):
    acf = np.empty(K)
    for k in range(K):
        acf[k] = d[:d.shape[0] - k] @ d[k:]
    return acf
