"""redundant-copy-removal, case (c): `A[r, :] -= c[r] * A[i, :]` reads A on
the right, so the frontend computes the row into a transient and copies it
into A; no element of A that one iteration writes is touched by another
(when r == i the row reads and writes its own elements), so the map writes
A[r, :] in place and the transient goes. The same for a 2-D update of
rows 1: of B that also reads row 0, which it never writes."""
import numpy as np

# dfc-test: sizes N=1,M=1 | N=6,M=9
# dfc-test: script tests/xform/copy_removal_in_place.recipe.yaml


# dfc: kern(A: float64[N, M], B: float64[N, M], c: float64[N])
def kern(A, B, c):
    for i in range(A.shape[0]):
        for r in range(A.shape[0]):
            A[r, :] -= c[r] * A[i, :]
    B[1:, :] = 2.0 * B[1:, :] + B[:1, :]
    return A, B
