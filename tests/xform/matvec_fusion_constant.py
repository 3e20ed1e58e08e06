"""matvec-fusion across the states matmul-scaling adds for constant and
scalar-expression factors (0.5, a + 1.0, 2.0): they compute 0-d
transients only, so they move before the sweep."""
import numpy as np

# dfc-test: script tests/xform/matvec_fusion_constant.recipe.yaml
# dfc-test: sizes N=20,M=31 | N=1,M=1 | N=70,M=3 | N=3,M=70


# dfc: k(a: float64, x1: float64[N], x2: float64[M], y1: float64[M], y2: float64[N], A: float64[N, M])
def k(a, x1, x2, y1, y2, A):
    x1[:] = 0.5 * (A @ y1)
    x2[:] = (a + 1.0) * (y2 @ A) + 2.0 * x2
