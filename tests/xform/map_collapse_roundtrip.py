"""map-collapse undoes map-expansion: a 2-D stencil, a column sum
(accumulated through both exits) and a fill (a tasklet without inputs,
reached by an empty memlet) come back to single 2-D maps."""
import numpy as np

# dfc-test: sizes N=7,M=6 | N=3,M=3
# dfc-test: script tests/xform/map_collapse_roundtrip.recipe.yaml


# dfc: kern(A: float64[N, M])
def kern(A):
    B = A[1:-1, 1:-1] + 0.25 * (A[:-2, 1:-1] + A[2:, 1:-1] - A[1:-1, :-2])
    s = np.sum(A, axis=0)
    A[1:, :] = 1.5
    return B, s
