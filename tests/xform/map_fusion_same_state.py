"""state-fusion, then map-fusion of two maps in the one state it makes:
the consumer already reads the producer's input a from the same access
node, so the fused tasklet reads a[_i0] once."""
import numpy as np

# dfc-test: script tests/xform/map_fusion_same_state.recipe.yaml
# dfc-test: sizes N=1 | N=64


# dfc: same(a: float64[N], b: float64[N])
def same(a, b):
    t = np.sqrt(a) + 1.0
    b[:] = t * a
