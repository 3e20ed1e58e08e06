"""Pairs of matrix-vector products over one matrix, which -O3 fuses into
one sweep (matvec-fusion): atax (the second vector is the first result),
bicg (independent vectors), the transposed spellings, float32, a slice of
rows; mvt's accumulating products (+=, which matmul-scaling folds into WCR
sum, alpha and beta scale factors, atax with a scaled and accumulated
first product) and -=, which stays two products; 1 row, 1 column, odd
sizes, more columns than rows and fewer."""
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


# dfc: mvt(x1: float64[N], x2: float64[M], y1: float64[M], y2: float64[N], A: float64[N, M])
def mvt(x1, x2, y1, y2, A):
    x1 += A @ y1
    x2 += y2 @ A


# dfc: mvt_f32(x1: float32[N], x2: float32[M], y1: float32[M], y2: float32[N], A: float32[N, M])
def mvt_f32(x1, x2, y1, y2, A):
    x1 += A @ y1
    x2 += y2 @ A


# dfc: mvt_transposed(x1: float64[N], x2: float64[M], y1: float64[M], y2: float64[N], A: float64[N, M])
def mvt_transposed(x1, x2, y1, y2, A):
    """The product down the columns first, spelled A.T @ y2."""
    x2 += A.T @ y2
    x1 += A @ y1


# dfc: mvt_sub(x1: float64[N], x2: float64[M], y1: float64[M], y2: float64[N], A: float64[N, M])
def mvt_sub(x1, x2, y1, y2, A):
    x1 -= A @ y1
    x2 -= y2 @ A


# dfc: mvt_scaled(alpha: float64, beta: float64, x1: float64[N], x2: float64[M], y1: float64[M], y2: float64[N], A: float64[N, M])
def mvt_scaled(alpha, beta, x1, x2, y1, y2, A):
    """alpha and beta on both products (_alpha, _beta with the old value)."""
    x1[:] = alpha * (A @ y1) + beta * x1
    x2[:] = beta * (y2 @ A) + alpha * x2


# dfc: mvt_scaled_f32(alpha: float32, x1: float32[N], x2: float32[M], y1: float32[M], y2: float32[N], A: float32[N, M])
def mvt_scaled_f32(alpha, x1, x2, y1, y2, A):
    """An accumulating product scaled by alpha, and one scaled only."""
    x1 += alpha * (A @ y1)
    x2[:] = alpha * (y2 @ A)


# dfc: atax_acc(y: float64[N], z: float64[M], x: float64[M], A: float64[N, M])
def atax_acc(y, z, x, A):
    """The second product reads the first's accumulated result."""
    y += A @ x
    z += y @ A


# dfc: atax_scaled(a: float64, b: float64, y: float64[N], x: float64[M], A: float64[N, M])
def atax_scaled(a, b, y, x, A):
    y[:] = a * (A @ x) + b * y
    return y @ A


# dfc: mvt_columns(x1: float64[N], x2: float64[M], Y: float64[M, 2], W: float64[N, 3], A: float64[N, M])
def mvt_columns(x1, x2, Y, W, A):
    """Strided vectors (columns of 2-D arrays) into accumulated outputs."""
    x1 += A @ Y[:, 0]
    x2 += W[:, 2] @ A


# dfc: mvt_constants(x1: float64[N], x2: float64[M], y1: float64[M], y2: float64[N], A: float64[N, M])
def mvt_constants(x1, x2, y1, y2, A):
    """Constant factors: matmul-scaling computes them in states between
    the products, which move before the sweep."""
    x1 += 2.0 * (A @ y1)
    x2[:] = (y2 @ A) / 3.0 + 0.5 * x2


# dfc: atax_constant_f32(y: float32[N], x: float32[M], A: float32[N, M])
def atax_constant_f32(y, x, A):
    y[:] = 0.25 * (A @ x) + y
    return 2.0 * (y @ A)
