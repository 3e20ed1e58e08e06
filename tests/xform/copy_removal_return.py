"""redundant-copy-removal, case (a): `return C` copies the transient C into
the return container. C is computed before the copy in several states (one
of them in a loop, reading C back), so every access of C becomes an access
of the return container and the copy and C disappear."""
import numpy as np

# dfc-test: sizes N=7,M=5 | N=1,M=1
# dfc-test: args k=3
# dfc-test: script tests/xform/copy_removal_return.recipe.yaml


# dfc: kern(A: float64[N, M], B: float64[N, M], k: int64)
def kern(A, B, k):
    C = A + B
    for i in range(k):
        C[:] = C * 0.5 + A
    C[0, :] = 1.0
    return C
