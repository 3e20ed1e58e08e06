"""array-layout of transients: a 2-D temporary laid out column-major
(order: [1, 0]) that a stencil and a transposed read use, and a 3-D
temporary permuted to order [2, 0, 1] that a reduction reads; the
results do not change."""
import numpy as np

# dfc-test: sizes N=7,M=5,K=3 | N=2,M=1,K=4
# dfc-test: script tests/xform/array_layout_transpose.recipe.yaml


# dfc: kern(A: float64[N, M], V: float64[N, M, K])
def kern(A, V):
    T = 2.0 * A + 1.0
    B = T[1:, :] - T[:-1, :] + T.T[:, 0]
    W = 0.5 * V * V - 1.0
    s = np.sum(W, axis=1)
    return B, s
