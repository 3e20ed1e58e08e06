"""map-tiling of reductions (WCR writes): a full sum into a scalar and a
row sum into a vector; tiling keeps every iteration exactly once."""
import numpy as np

# dfc-test: script tests/xform/map_tiling_reduction.recipe.yaml
# dfc-test: sizes N=37,M=45 | N=5,M=64


# dfc: total(A: float64[N, M])
def total(A):
    return np.sum(A)


# dfc: rows(A: float64[N, M], r: float64[N])
def rows(A, r):
    r[:] = np.sum(A, axis=1)
