"""reduction-fusion into reductions along an axis: the row sums of a
product and the column maxima of a converted difference accumulate each
element directly (r[i] += ..., m[j] = max(m[j], ...)); both temporaries
disappear."""
import numpy as np

# dfc-test: script tests/xform/reduction_fusion_rows.recipe.yaml
# dfc-test: sizes N=1,M=1 | N=40,M=31


# dfc: rows(a: float64[N, M], b: float32[N, M])
def rows(a, b):
    t = a * b
    r = t.sum(axis=1)
    u = (a - 1.0).astype(np.float32)
    m = np.max(u, axis=0)
    return r, m
