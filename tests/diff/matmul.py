"""np.dot and @ in every rank combination, on slices, transposes, strided
views, integer and float32 operands."""
import numpy as np

# dfc-test: sizes N=6,M=4,K=5 | N=1,M=3,K=1


# dfc: ranks(A: float64[N, K], B: float64[K, M], x: float64[K], y: float64[N])
def ranks(A, B, x, y):
    """matrix@matrix, matrix@vector, vector@matrix, vector@vector."""
    C = A @ B
    v = A @ x
    w = y @ A
    s = x @ x
    D = np.dot(A, B)
    u = np.dot(A, x)
    z = np.dot(y, A)
    t = np.dot(y, y)
    return C, v, w, s, D, u, z, t


# dfc: transposed(A: float64[N, K], B: float64[N, M], x: float64[N])
def transposed(A, B, x):
    """Products with .T operands: A^T B, A^T x, x A, B^T A, A A^T."""
    P = A.T @ B
    q = A.T @ x
    r = x @ A
    S = B.T @ A
    G = A @ A.T
    return P, q, r, S, G


# dfc: sliced(A: float64[N, K], B: float64[K, M], x: float64[K])
def sliced(A, B, x):
    """Products of slices, strided rows/columns and reversed ranges."""
    P = A[:, 1:] @ B[1:, :]
    q = A[::2, :] @ x
    r = A[0, :] @ B
    s = np.dot(A[:, 0], A[:, -1])
    t = B[:, ::2].T @ x
    u = A[:, 1:] @ x[:-1]
    return P, q, r, s, t, u


# dfc: chains(A: float64[N, N], x: float64[N])
def chains(A, x):
    """Chained products and products inside expressions and loops."""
    y = A @ (A @ x) + 2.0 * (A.T @ x)
    B = A @ A @ A
    n = x @ A @ x
    for i in range(3):
        y = A @ y / np.sqrt(y @ y)
    return y, B, n


# dfc: int_mm(A: int64[N, K], B: int64[K, M], a: int32[K], f: float32[N, K], g: float32[K])
def int_mm(A, B, a, f, g):
    """Integer products stay integer; float32 stays float32; mixed promotes."""
    C = A @ B
    v = A @ a
    s = np.dot(a, a)
    h = f @ g
    m = f @ a
    return C, v, s, h, m


# dfc: method_dot(A: float64[N, K], x: float64[K])
def method_dot(A, x):
    """The .dot() method."""
    return A.dot(x), x.dot(x), A.T.dot(A)


# dfc: mm_dtypes(A: int8[N, K], B: bool[N, K], C: bool[K, N], U: uint8[K, N], F: float32[N, K], D: float64[K, N])
def mm_dtypes(A, B, C, U, F, D):
    """Products promote like the other operators: int8 @ uint8 is int16,
    bool @ bool is bool (or of ands), float32 @ float64 is float64."""
    return A @ U, B @ C, np.dot(B[0, :], C[:, 0]), F @ D, A @ D, np.dot(A[0, :], A[-1, :]), U.T @ U
