"""map-tiling refuses `local: true`: copying each tile and the halo its
stencil reads into a local buffer is not supported."""
import numpy as np


# dfc: jacobi(A: float64[N, M], B: float64[N, M])
def jacobi(A, B):
    B[1:-1, 1:-1] = 0.25 * (A[:-2, 1:-1] + A[2:, 1:-1] + A[1:-1, :-2] + A[1:-1, 2:])
