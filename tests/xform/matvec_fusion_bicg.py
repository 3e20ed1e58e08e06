"""matvec-fusion of bicg: r @ A and A @ p (independent vectors), on the
same slice of rows, one sweep."""
import numpy as np

# dfc-test: script tests/xform/matvec_fusion_bicg.recipe.yaml
# dfc-test: sizes N=20,M=31 | N=2,M=1 | N=70,M=3 | N=3,M=70


# dfc: bicg(A: float64[N, M], p: float64[M], r: float64[N])
def bicg(A, p, r):
    return r[1:] @ A[1:, :], A[1:, :] @ p
