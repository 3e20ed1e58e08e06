"""map-schedule sequential: an elementwise map and a reduction map (WCR
sum into a scalar) run as plain loops instead of OpenMP parallel loops."""
import numpy as np

# dfc-test: script tests/xform/map_schedule_sequential.recipe.yaml
# dfc-test: sizes N=1000,M=7 | N=1,M=1 | N=0,M=3


# dfc: scale(A: float64[N, M], alpha: float64)
def scale(A, alpha):
    B = alpha * A + 1.0
    return B, np.sum(B)
