"""map-tiling applied twice: the inner map of a first tiling (whose ranges
depend on the outer tile origins) is tiled again; the new tile origins get
fresh names."""
import numpy as np

# dfc-test: script tests/xform/map_tiling_twice.recipe.yaml
# dfc-test: sizes N=37,M=45 | N=64,M=64


# dfc: scale(A: float64[N, M], B: float64[N, M])
def scale(A, B):
    B[:] = A * 0.5 + B
