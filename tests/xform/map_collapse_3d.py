"""map-collapse on three-level nests made by map-expansion: collapsing the
outer pair of one (outer map [i0, i1] around [i2]) and the inner pair of
another (outer [i0] around [i1, i2]), one of them a reduction over the last
axis accumulated through every exit."""
import numpy as np

# dfc-test: sizes N=5,M=4,K=6 | N=1,M=2,K=1
# dfc-test: script tests/xform/map_collapse_3d.recipe.yaml


# dfc: kern(V: float64[N, M, K])
def kern(V):
    W = np.sqrt(V[:, :, ::-1]) * 3.0
    r = np.sum(V * V, axis=2)
    return W, r
