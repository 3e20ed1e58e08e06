"""loop-to-map of a reduction into a per-row output: the body has three
states (fill the scalar s, accumulate a row into it, store it into
out[i]); s is private to each iteration (written first, used nowhere
else), so the states merge into one map over the rows."""
import numpy as np

# dfc-test: script tests/xform/loop_to_map_row_sum.recipe.yaml
# dfc-test: sizes N=37,M=45 | N=1,M=1 | N=4,M=0


# dfc: row_sum(A: float64[N, M], out: float64[N])
def row_sum(A, out):
    for i in range(A.shape[0]):
        out[i] = np.sum(A[i, :])
