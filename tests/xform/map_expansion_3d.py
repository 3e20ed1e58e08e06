"""map-expansion of a 3-D map with split: 2 (outer map over two params),
over a strided read and a negated offset, then a second expansion of the
new inner map's outer neighbour (split: 1) making three levels."""
import numpy as np

# dfc-test: sizes N=6,M=5,K=4 | N=2,M=2,K=2
# dfc-test: script tests/xform/map_expansion_3d.recipe.yaml


# dfc: kern(V: float64[N, M, K], W: float64[N, M, K])
def kern(V, W):
    U = V[::2, :, 1:] - 0.5 * W[::2, ::-1, :-1]
    T = V * W + 1.0
    return U, T
