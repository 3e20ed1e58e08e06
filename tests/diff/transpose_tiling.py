"""Maps that transpose, which -O3 runs by tiles of 32x32 (transpose-tiling,
passes/map_tiling.c; docs/transformations.md): an in-place transposition,
A + A.T, a scaled transposed copy of a rectangular array, the symmetrised
adjacency matrix of int64 entries, and a control whose row sums of
A * A.T (WCR) are left untiled. Sizes with one partial tile, several,
exact multiples of 32 and empty arrays. tests/wrap/transpose_tiling.py
checks which maps are tiled."""
import numpy as np

# dfc-test: sizes N=1,M=1 | N=31,M=33 | N=70,M=45 | N=64,M=96 | N=0,M=3 | N=5,M=0


# dfc: transpose_inplace(A: float64[N, N])
def transpose_inplace(A):
    A[:] = A.T


# dfc: plus_transpose(A: float64[N, N])
def plus_transpose(A):
    return A + A.T


# dfc: scaled_transpose(A: float64[N, M])
def scaled_transpose(A):
    return 2.5 * A.T


# dfc: symmetric_adjacency(adj: int64[N, N])
def symmetric_adjacency(adj):
    return ((adj + adj.T) > 0).astype(np.float64)


# dfc: row_sums(A: float64[N, N])
def row_sums(A):
    return np.sum(A * A.T, axis=1)
