"""library-expansion with BLAS of 2-D @ 2-D products (cblas_dgemm/sgemm):
whole arrays, slices with offsets (A[1:, 1:] @ B[1:, :], whose leading
dimensions are the full rows), a row-strided operand (A[::2, :]: leading
dimension 2*K) and float32."""
import numpy as np

# dfc-test: script tests/xform/library_expansion_gemm.recipe.yaml
# dfc-test: sizes N=20,K=30,M=25 | N=1,K=1,M=1 | N=65,K=3,M=70 | N=2,K=2,M=0


# dfc: gemm(A: float64[N, K], B: float64[K, M], S: float32[N, N])
def gemm(A, B, S):
    C = A @ B
    D = A[1:, 1:] @ B[1:, :]
    E = A[::2, :] @ B
    F = S @ S
    return C, D, E, F
