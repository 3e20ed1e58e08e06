"""redundant-copy-removal, case (c), with a buffer larger than what the
copy moves: in `C[i, 1:i + 1] = C[i - 1, 1:i + 1] + C[i - 1, :i]` (Pascal's
triangle) the frontend computes the row into a transient of the largest
extent, tmp[N - 1], of which the producer fills tmp[0:i] and the copy
reads the same tmp[0:i]: the producer and the copy run over the same
ranges, so every element copied is one computed, and the map writes
C[i, _i0 + 1] in place (row i - 1, which it reads, is not written)."""
import numpy as np

# dfc-test: sizes N=1 | N=2 | N=9
# dfc-test: script tests/xform/copy_removal_partial.recipe.yaml


# dfc: kern(C: int64[N, N])
def kern(C):
    n = C.shape[0]
    C[:, :] = 0
    C[:, 0] = 1
    for i in range(1, n):
        C[i, 1:i + 1] = C[i - 1, 1:i + 1] + C[i - 1, :i]
    return C
