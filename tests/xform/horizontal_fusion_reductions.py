"""horizontal-map-fusion of three reductions in states apart (the
Frobenius product and the two norms): the states initializing each
accumulator move before the first reduction's state, those taking the
square roots stay after, and one map reads A and B once for all three
sums."""
import numpy as np

# dfc-test: sizes N=11,M=7 | N=1,M=1 | N=300,M=301
# dfc-test: script tests/xform/horizontal_fusion_reductions.recipe.yaml


# dfc: frob(A: float64[N, M], B: float64[N, M])
def frob(A, B):
    inner = np.sum(A * B)
    na = np.linalg.norm(A)
    nb = np.linalg.norm(B)
    return inner, na, nb, inner / (na * nb)
