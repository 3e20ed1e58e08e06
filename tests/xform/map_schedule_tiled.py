"""map-schedule after map-tiling: the outer map over tile origins becomes
sequential, then the inner map over each tile's points (sequential after
tiling, and no longer inside a parallel map) becomes cpu_parallel."""
import numpy as np

# dfc-test: script tests/xform/map_schedule_tiled.recipe.yaml
# dfc-test: sizes N=37,M=45 | N=1,M=3 | N=64,M=64


# dfc: add2(A: float64[N, M], B: float64[N, M])
def add2(A, B):
    return A + 2.0 * B
