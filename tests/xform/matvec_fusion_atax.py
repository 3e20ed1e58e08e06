"""matvec-fusion of atax: A @ x, then A.T @ (its result), one sweep."""
import numpy as np

# dfc-test: script tests/xform/matvec_fusion_atax.recipe.yaml
# dfc-test: sizes N=20,M=31 | N=1,M=1 | N=70,M=3 | N=3,M=70


# dfc: atax(A: float64[N, M], x: float64[M])
def atax(A, x):
    tmp = A @ x
    return A.T @ tmp
