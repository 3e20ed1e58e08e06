"""map-tiling of a 2-D elementwise map with two inputs and a return value:
every parameter tiled, with different sizes per dimension."""
import numpy as np

# dfc-test: script tests/xform/map_tiling_2d.recipe.yaml
# dfc-test: sizes N=37,M=45 | N=16,M=32 | N=1,M=3


# dfc: add2(A: float64[N, M], B: float64[N, M])
def add2(A, B):
    return A + 2.0 * B
