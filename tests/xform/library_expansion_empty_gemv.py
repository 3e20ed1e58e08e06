"""A matrix-vector product whose contracted extent may be 0: BLAS's gemv
leaves the output untouched then, NumPy gives zeros."""
import numpy as np

# dfc-test: sizes N=3,M=0 | N=2,M=3
# dfc-test: script tests/xform/library_expansion_empty_gemv.recipe.yaml


# dfc: mv_empty(x: float64[N, M], v: float64[M], y: float64[N])
def mv_empty(x, v, y):
    """y = x @ v, written in place."""
    y[:] = x @ v
    return v @ x.T
