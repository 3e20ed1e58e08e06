"""loop-to-map of a body of several states: y[2*i + 1] = y[2*i] reads and
writes y, so the frontend snapshots the element in a scalar (one state)
before the store (another). The writes hit odd elements, the reads even
ones, so no iteration depends on another; the scalar is written first in
every iteration and used nowhere else, so each iteration has its own.
The two states merge into the map's body, an empty memlet keeping the
store after the snapshot."""
import numpy as np

# dfc-test: script tests/xform/loop_to_map_interleaved.recipe.yaml
# dfc-test: sizes N=37 | N=2 | N=1


# dfc: interleave(y: float64[N])
def interleave(y):
    for i in range(y.shape[0] // 2):
        y[2 * i + 1] = y[2 * i]
