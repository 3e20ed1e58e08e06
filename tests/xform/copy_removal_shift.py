"""redundant-copy-removal, case (c) in order: `x[1:] = x[:-1]` and
`y[:-1] = 2 * y[1:]` overlap, so no parallel map can write them in place,
but running the elements in descending (x) or ascending (y) order reads
only old values, as memmove does: the map becomes sequential (x's subsets
rewritten for the descending order) and the transients go."""
import numpy as np

# dfc-test: sizes N=2 | N=7 | N=40
# dfc-test: script tests/xform/copy_removal_shift.recipe.yaml


# dfc: kern(x: float64[N], y: float64[N])
def kern(x, y):
    x[1:] = x[:-1]
    y[:-1] = 2.0 * y[1:]
