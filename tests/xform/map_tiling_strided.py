"""map-tiling where the body reads and writes with strides and in reverse
(x[N - 2*i - 1], y[2*i]): the tile subsets are exact strided ranges."""
import numpy as np

# dfc-test: script tests/xform/map_tiling_strided.recipe.yaml
# dfc-test: sizes N=50 | N=9 | N=1


# dfc: evens(x: float64[N], y: float64[N])
def evens(x, y):
    y[::2] = x[::-2] * 2.0
