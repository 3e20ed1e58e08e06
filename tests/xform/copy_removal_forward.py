"""redundant-copy-removal, case (d): `A += A.T; return A` computes A + A.T
into a transient t (the right side reads A), copies t into A, then A
into the return container. The last copy follows the copy t -> A, so it
reads t instead (d); then it is a copy of a transient used only before
it, and t is computed straight into the return value (a), from which A
is copied: one sweep of the matrix less."""
import numpy as np

# dfc-test: sizes N=1 | N=7
# dfc-test: script tests/xform/copy_removal_forward.recipe.yaml


# dfc: kern(A: float64[N, N])
def kern(A):
    A += A.T
    return A
