"""library-expansion with BLAS of matrix-vector and vector-matrix products
(cblas_dgemv, NoTrans and Trans): slices with offsets (A[1:, 1:] @ x[1:]),
a transposed operand read in place (A.T @ y: gemv Trans over A), a strided
vector (incx 2), a row-strided matrix and float32."""
import numpy as np

# dfc-test: script tests/xform/library_expansion_gemv.recipe.yaml
# dfc-test: sizes N=20,M=31 | N=1,M=1 | N=70,M=3 | N=3,M=2


# dfc: gemv(A: float64[N, M], x: float64[M], y: float64[N], S: float32[M, M], v: float32[M])
def gemv(A, x, y, S, v):
    a = A[1:, 1:] @ x[1:]
    b = y @ A
    c = A.T @ y
    d = A[::2, :] @ x
    e = y[::2] @ A[::2, :]
    f = S @ v
    g = v @ S
    return a, b, c, d, e, f, g
