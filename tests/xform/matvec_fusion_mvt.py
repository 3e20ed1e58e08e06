"""matvec-fusion of mvt's accumulating products: x1 += A @ y1 (WCR sum)
and x2 = alpha * (y2 @ A) + beta * x2 (_alpha, _beta, _cin), after
matmul-scaling folded each update into its product: one sweep."""
import numpy as np

# dfc-test: script tests/xform/matvec_fusion_mvt.recipe.yaml
# dfc-test: sizes N=20,M=31 | N=1,M=1 | N=70,M=3 | N=3,M=70


# dfc: mvt(alpha: float64, beta: float64, x1: float64[N], x2: float64[M], y1: float64[M], y2: float64[N], A: float64[N, M])
def mvt(alpha, beta, x1, x2, y1, y2, A):
    x1 += A @ y1
    x2[:] = alpha * (y2 @ A) + beta * x2
