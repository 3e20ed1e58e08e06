"""map-tiling refuses local: true when the buffers of one tile would take
more than 64 KiB (a thread's share of stack): 128x128 tiles of a stencil
need a 130x130 float64 buffer."""
import numpy as np


# dfc: jacobi(A: float64[N, M], B: float64[N, M])
def jacobi(A, B):
    B[1:-1, 1:-1] = 0.25 * (A[:-2, 1:-1] + A[2:, 1:-1] + A[1:-1, :-2] + A[1:-1, 2:])
