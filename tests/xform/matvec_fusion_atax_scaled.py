"""matvec-fusion of atax whose first product is scaled and accumulated
(y = 0.5 * (A @ x) + y, folded by matmul-scaling into _alpha and WCR sum):
the second product reads the updated y, which the sweep multiplies each
row by."""
import numpy as np

# dfc-test: script tests/xform/matvec_fusion_atax_scaled.recipe.yaml
# dfc-test: sizes N=20,M=31 | N=1,M=1 | N=70,M=3 | N=3,M=70


# dfc: atax(a: float64, A: float64[N, M], x: float64[M], y: float64[N])
def atax(a, A, x, y):
    y += a * (A @ x)
    return y @ A
