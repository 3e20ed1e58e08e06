"""Pairs of matrix-vector products over one matrix, which -O3 fuses into
one sweep (matvec-fusion): atax (the second vector is the first result),
bicg (independent vectors), the transposed spellings, float32, a slice of
rows; 1 row, 1 column, odd sizes, more columns than rows and fewer."""
import numpy as np

# dfc-test: sizes N=1,M=1 | N=1,M=9 | N=9,M=1 | N=13,M=7 | N=7,M=13 | N=33,M=65 | N=130,M=67


# dfc: atax(A: float64[N, M], x: float64[M])
def atax(A, x):
    tmp = A @ x
    return A.T @ tmp


# dfc: atax_both(A: float64[N, M], x: float64[M])
def atax_both(A, x):
    """The intermediate product is returned too."""
    tmp = A @ x
    return tmp, tmp @ A


# dfc: bicg(A: float64[N, M], p: float64[M], r: float64[N])
def bicg(A, p, r):
    return r @ A, A @ p


# dfc: bicg_transposed(A: float64[N, M], p: float64[M], r: float64[N])
def bicg_transposed(A, p, r):
    """A.T @ r first, then p @ A.T (the product along the rows, spelled
    with the transpose)."""
    s = A.T @ r
    q = p @ A.T
    return s, q


# dfc: bicg_f32(A: float32[N, M], p: float32[M], r: float32[N])
def bicg_f32(A, p, r):
    return A @ p, r @ A


# dfc: rows_slice(A: float64[N, M], x: float64[M], w: float64[N])
def rows_slice(A, x, w):
    """The same slice of rows (a nonzero offset, unit steps) in both."""
    B = A[1:, :]
    return B @ x, w[1:] @ B


# dfc: same_vector(A: float64[N, N], v: float64[N])
def same_vector(A, v):
    """One vector read by both products."""
    return A @ v, v @ A
