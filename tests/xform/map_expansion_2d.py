"""map-expansion of 2-D maps into an outer map over rows and an inner map
over columns: an elementwise expression with shifted slices, and a row sum
whose accumulation (WCR) goes through both exits."""
import numpy as np

# dfc-test: sizes N=7,M=5 | N=1,M=3
# dfc-test: script tests/xform/map_expansion_2d.recipe.yaml


# dfc: kern(A: float64[N, M], B: float64[N, M])
def kern(A, B):
    C = A[:, 1:] * 2.0 + B[:, :-1]
    s = np.sum(A, axis=1)
    return C, s
