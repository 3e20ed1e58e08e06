"""map-peeling after outer-map-fusion of the three maps writing the even rows of an
upsampled image: each writes part of row 2*i (even columns, odd columns
but the last, the last column), so the three become one map over i whose
body holds two nested maps and a tasklet; then the even columns' map
over [0, W) loses its last iteration (a tasklet at j = W - 1 beside it)
and so runs over [0, W - 1) like the odd columns' map, with which
horizontal-map-fusion merges it: one loop writes both 2*j and 2*j + 1."""
import numpy as np

# dfc-test: sizes H=5,W=7 | H=1,W=1 | H=4,W=2
# dfc-test: script tests/xform/map_peeling.recipe.yaml


# dfc: evens(small: float64[H, W], big: float64[H, W])
def evens(small, big):
    out = np.zeros((2 * small.shape[0], 2 * small.shape[1]))
    out[0::2, 0::2] = small
    out[0::2, 1:-1:2] = 0.5 * (small[:, :-1] + small[:, 1:])
    out[0::2, -1] = small[:, -1]
    big[:, :] = out[0::2, 0::2] + out[0::2, 1::2]
