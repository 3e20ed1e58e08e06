"""map-tiling with constant extents: tiles that do not divide the extent
(10 by 4, 7 by 3: the last tile is cut with min), that divide it exactly
(12 by 4: no min), and a tile larger than the extent (5 by 8: one tile)."""
import numpy as np


# dfc-test: script tests/xform/map_tiling_uneven.recipe.yaml
# dfc: uneven(A: float64[10, 7], B: float64[12, 5])
def uneven(A, B):
    A[:] = A * 3.0 - 1.0
    B[:] = np.sqrt(np.abs(B))
