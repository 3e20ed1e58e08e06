"""np.trace and np.diagonal of a matrix product are lowered without the
product (the sum of x[i, k] * y[k, i] over k); shapes that are not
(n, m) @ (m, n), bools and 1-D operands keep the matmul."""
import numpy as np

# dfc-test: sizes N=1,M=1,P=2 | N=7,M=5,P=3 | N=33,M=17,P=9
# dfc-test: range -2,2


# dfc: trace_square(A: float64[N, N], B: float64[N, N])
def trace_square(A, B):
    return np.trace(A @ B), np.trace(A @ A @ B) / 3.0


# dfc: diagonal_rect(X: float64[N, M], Y: float64[M, N])
def diagonal_rect(X, Y):
    d = np.diagonal(X @ Y)
    return d * 2.0, np.trace(Y @ X)


# dfc: trace_transposed(X: float64[N, M], Y: float64[N, M])
def trace_transposed(X, Y):
    return np.trace(X @ Y.T) - np.trace(X.T @ Y)


# dfc: trace_int_complex(I: int64[N, M], J: int64[M, N], Z: complex128[N, N])
def trace_int_complex(I, J, Z):
    return np.trace(I @ J), np.diagonal(Z @ Z.conj()), np.trace(I.astype(np.float32) @ J)


# dfc: diagonal_fallback(X: float64[N, M], Y: float64[M, P], b: bool[N, N], v: float64[N])
def diagonal_fallback(X, Y, b, v):
    return np.diagonal(X @ Y), np.trace(b @ b), np.diagonal(v[:, None] @ v[None, :])
