"""transposed-copy of a matrix whose columns a loop reads through two
dots and an update (projection of a vector off each column in turn): the
site is the update's map; the dots' column vectors A[1:N, j] are read
from the copy's rows A_T[j, 1:N] too, and the copy goes before the loop."""
import numpy as np

# dfc-test: sizes N=2,M=1 | N=9,M=7 | N=30,M=41
# dfc-test: script tests/xform/transposed_copy_dots.recipe.yaml


# dfc: kern(A: float64[N, M], v: float64[N])
def kern(A, v):
    r = v.copy()
    for j in range(A.shape[1]):
        a = A[1:, j]
        r[1:] -= (a @ r[1:]) / (a @ a + 1.0) * a
    return r
