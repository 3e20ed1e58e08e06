"""map-tiling with local: true on a 5-point stencil: every 32x32 tile
copies the box of A it reads (the tile and a halo of one, cut at the edge
of the array) into a 34x34 stack buffer A_local, and the stencil reads the
buffer. Sizes that are not multiples of the tile, and smaller than one."""
import numpy as np

# dfc-test: script tests/xform/map_tiling_local_stencil.recipe.yaml
# dfc-test: sizes N=37,M=45 | N=70,M=100 | N=10,M=10 | N=2,M=2 | N=3,M=40 | N=34,M=66


# dfc: jacobi(A: float64[N, M], B: float64[N, M])
def jacobi(A, B):
    B[1:-1, 1:-1] = 0.2 * (A[1:-1, 1:-1] + A[:-2, 1:-1] + A[2:, 1:-1] +
                           A[1:-1, :-2] + A[1:-1, 2:])
