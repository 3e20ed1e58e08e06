"""transpose-tiling of a map that copies a rectangular array transposed
and scaled: the read walks A across its rows, the write the result along
its rows; tiles of 8x16, partial at the edges."""
import numpy as np

# dfc-test: script tests/xform/transpose_tiling.recipe.yaml
# dfc-test: sizes N=37,M=45 | N=16,M=32 | N=1,M=3


# dfc: scaled_t(A: float64[N, M])
def scaled_t(A):
    return 2.0 * A.T
