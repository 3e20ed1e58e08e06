"""Matrix products of the sizes where the tiled loops (codegen/openmp/
gemm.c) take more than one of each of their blocks: over 2048 columns,
over 256 terms of the contraction, over 64 rows per thread, partial tiles
at every edge; Gram matrices (one triangle computed, then mirrored, its
rows split unevenly between the threads); float32; an empty contraction.
tests/run.sh runs this file with the tiled loops and with OpenBLAS."""
import numpy as np

# dfc-test: sizes N=150,M=2100,K=300 | N=9,M=5,K=3 | N=300,M=157,K=1 | N=1,M=1,K=600


# dfc: tiled_blocks(A: float64[N, K], B: float64[K, M])
def tiled_blocks(A, B):
    return A @ B


# dfc: tiled_gram(X: float64[N, M])
def tiled_gram(X):
    """X^T X and X X^T: symmetric results."""
    return X.T @ X, X @ X.T


# dfc: tiled_gram_scaled(X: float32[N, M], s: float32)
def tiled_gram_scaled(X, s):
    return (s * X.T) @ X


# dfc: tiled_accumulate(A: float64[N, K], B: float64[M, K], C: float64[N, M])
def tiled_accumulate(A, B, C):
    """C += A B^T, and an empty contraction into a fresh array."""
    C += A @ B.T
    return A[:, :0] @ B.T[:0, :]
