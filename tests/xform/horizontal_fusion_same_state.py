"""horizontal-map-fusion of two 2-D maps in one state (state-fusion first
joins the two statements' states), then redundant-copy-removal of both
return copies: one map writes both return values directly."""
import numpy as np

# dfc-test: sizes N=6,M=7 | N=1,M=2
# dfc-test: script tests/xform/horizontal_fusion_same_state.recipe.yaml


# dfc: kern(A: float64[N, M], B: float64[N, M])
def kern(A, B):
    C = A + B
    D = A * B - 1.0
    return C, D
