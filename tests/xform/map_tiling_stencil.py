"""map-tiling of a 5-point stencil: each tile reads its neighbours, so the
subset between the outer and the inner map covers the tile plus a halo
of one in every direction."""
import numpy as np

# dfc-test: script tests/xform/map_tiling_stencil.recipe.yaml
# dfc-test: sizes N=37,M=45 | N=10,M=10 | N=2,M=2


# dfc: jacobi(A: float64[N, M], B: float64[N, M])
def jacobi(A, B):
    B[1:-1, 1:-1] = 0.2 * (A[1:-1, 1:-1] + A[:-2, 1:-1] + A[2:, 1:-1] +
                           A[1:-1, :-2] + A[1:-1, 2:])
