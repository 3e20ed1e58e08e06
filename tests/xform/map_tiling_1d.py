"""map-tiling of a 1-D elementwise map: tiles of 16 over [0, N), the last
one cut at N (sizes that are, and are not, multiples of the tile)."""
import numpy as np

# dfc-test: script tests/xform/map_tiling_1d.recipe.yaml
# dfc-test: sizes N=100 | N=7 | N=32 | N=0


# dfc: axpy(a: float64, x: float64[N], y: float64[N])
def axpy(a, x, y):
    y[:] = a * x + y
