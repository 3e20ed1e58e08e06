"""loop-to-map turns a gather loop into a map: the read x[0:N] of the
data-dependent index is not written in the loop."""
import numpy as np

# dfc-test: script tests/xform/loop_to_map_gather.recipe.yaml
# dfc-test: range idx=0,5
# dfc-test: sizes N=5,M=9


# dfc: gather(x: float64[N], idx: int64[M], y: float64[M])
def gather(x, idx, y):
    for i in range(idx.shape[0]):
        y[i] = x[idx[i]] + 1.0
