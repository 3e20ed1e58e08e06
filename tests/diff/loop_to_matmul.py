"""Loops of vector-matrix products over consecutive rows, which -O3's
loop-to-matmul turns into one matrix product (doitgen's form, in place and
out of place, float32, rows down a column, an offset row range, a loop of
no iteration, a chain of two products, the triangles of a covariance and
of a correlation, whose columns start at the row: one X^T X for all rows,
?syrk in BLAS, and a triangle of two matrices: one general product), and
loops it must leave alone (rows two apart, a matrix that varies with the
loop, a row read after an earlier iteration wrote it, a triangle whose
columns end with the row). NumPy is the oracle, at -O3 and -O0."""
import numpy as np

# dfc-test: sizes N=5,M=7,K=9 | N=1,M=1,K=1 | N=1,M=3,K=2 | N=13,M=2,K=31


# dfc: doitgen(A: float64[N, M, K], C4: float64[K, K])
def doitgen(A, C4):
    for r in range(A.shape[0]):
        for q in range(A.shape[1]):
            A[r, q, :] = A[r, q, :] @ C4


# dfc: out_of_place(A: float64[N, M, K], C4: float64[K, K], B: float64[N, M, K])
def out_of_place(A, C4, B):
    for r in range(A.shape[0]):
        for q in range(A.shape[1]):
            B[r, q, :] = A[r, q, :] @ C4


# dfc: single32(A: float32[M, K], W: float32[K, N])
def single32(A, W):
    B = np.zeros((A.shape[0], W.shape[1]), dtype=np.float32)
    for i in range(A.shape[0]):
        B[i, :] = A[i, :] @ W
    return B


# dfc: columns(A: float64[K, M], W: float64[K, N])
def columns(A, W):
    B = np.zeros((W.shape[1], A.shape[1]))
    for j in range(A.shape[1]):
        B[:, j] = A[:, j] @ W
    return B


# dfc: offset_rows(A: float64[M, K], W: float64[K, K])
def offset_rows(A, W):
    for i in range(1, A.shape[0]):
        A[i - 1, :] = A[i, :] @ W
    return A


# dfc: tail_rows(A: float64[M, K], W: float64[K, N])
def tail_rows(A, W):
    B = np.ones((A.shape[0], W.shape[1]))
    for i in range(1, A.shape[0]):
        B[i, :] = A[i, :] @ W
    return B


# dfc: chained(A: float64[M, K], W: float64[K, N], V: float64[N, K])
def chained(A, W, V):
    for i in range(A.shape[0]):
        A[i, :] = (A[i, :] @ W) @ V


# dfc: strided(A: float64[M, K], W: float64[K, N])
def strided(A, W):
    B = np.zeros((A.shape[0], W.shape[1]))
    for i in range(A.shape[0] // 2):
        B[i, :] = A[2 * i, :] @ W
    return B


# dfc: varying(A: float64[M, K], W: float64[M, K, K])
def varying(A, W):
    for i in range(A.shape[0]):
        A[i, :] = A[i, :] @ W[i, :, :]


# dfc: carried(A: float64[M, K], W: float64[K, K])
def carried(A, W):
    for i in range(1, A.shape[0]):
        A[i, :] = A[i - 1, :] @ W


# dfc: cov_upper(X: float64[N, M])
def cov_upper(X):
    m = X.shape[1]
    cov = np.zeros((m, m))
    for i in range(m):
        cov[i, i:] = X[:, i] @ X[:, i:] / 3.0
        cov[i:, i] = cov[i, i:]
    return cov


# dfc: corr_lower(X: float64[N, M])
def corr_lower(X):
    m = X.shape[1]
    corr = np.eye(m)
    for i in range(m - 1):
        corr[i + 1:, i] = X[:, i] @ X[:, i + 1:]
        corr[i, i + 1:] = corr[i + 1:, i]
    return corr


# dfc: cross_upper(X: float64[N, M], Y: float64[N, M])
def cross_upper(X, Y):
    m = X.shape[1]
    out = np.zeros((m, m))
    for i in range(m):
        out[i, i:] = X[:, i] @ Y[:, i:]
    return out


# dfc: shrinking(X: float64[N, M])
def shrinking(X):
    m = X.shape[1]
    out = np.zeros((m, m))
    for i in range(m):
        out[i, :i + 1] = X[:, i] @ X[:, :i + 1]
    return out
