"""Loops over rows whose body sums rank-1 updates of the row over k, which
-O3's rank-update-to-matmul turns into one matrix product before the loop
(syrk's and syr2k's nests, the triangle's half as X @ X^T, syr2k's two
products as one and its transpose, a full row, a triangle above the
diagonal, offset rows and columns and k, float32, subtraction, a scalar per
row, division by a scalar, a transposed operand, rows of no term), and
loops it must leave alone (an operand the loop writes, a factor squared, a
k range that follows the row, a column factor that varies with the row, k
as a value in a branch of a conditional).
tests/wrap/rank_update.py checks which ones -O3 transforms. NumPy is the
oracle, at -O3 and -O0."""
import numpy as np

# dfc-test: sizes N=7,M=5,K=6 | N=1,M=1,K=1 | N=13,M=0,K=3 | N=33,M=17,K=40
# dfc-test: args alpha=1.5 beta=0.75


# dfc: syrk(alpha: float64, beta: float64, C: float64[N, N], A: float64[N, M])
def syrk(alpha, beta, C, A):
    for i in range(A.shape[0]):
        C[i, :i + 1] *= beta
        for k in range(A.shape[1]):
            C[i, :i + 1] += alpha * A[i, k] * A[:i + 1, k]


# dfc: syr2k(alpha: float64, beta: float64, C: float64[N, N], A: float64[N, M], B: float64[N, M])
def syr2k(alpha, beta, C, A, B):
    for i in range(A.shape[0]):
        C[i, :i + 1] *= beta
        for k in range(A.shape[1]):
            C[i, :i + 1] += alpha * (A[:i + 1, k] * B[i, k] + B[:i + 1, k] * A[i, k])


# dfc: full_rows(A: float64[N, M], B: float64[K, M])
def full_rows(A, B):
    """A @ B.T by outer products into a fresh array."""
    C = np.zeros((A.shape[0], B.shape[0]))
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            C[i, :] += A[i, k] * B[:, k]
    return C


# dfc: upper(C: float64[N, N], A: float64[N, M])
def upper(C, A):
    """The triangle above the diagonal: columns from a start, rows offset."""
    for i in range(A.shape[0] - 1):
        for k in range(A.shape[1]):
            C[i + 1, 1:] += A[i + 1, k] * A[1:, k]


# dfc: offsets(C: float64[N, K], A: float64[N, M], B: float64[K, M])
def offsets(C, A, B):
    """Rows from 2, columns from 1, k from 1, an offset row of C."""
    for i in range(2, A.shape[0]):
        for k in range(1, A.shape[1]):
            C[i - 2, 1:] -= 0.5 * A[i, k] * B[1:, k]


# dfc: single(C: float32[N, N], A: float32[N, M], w: float32[N])
def single(C, A, w):
    """float32, a scalar per row, a division by a scalar."""
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            C[i, :i + 1] += w[i] * A[i, k] * A[:i + 1, k] / 3.0


# dfc: transposed(C: float64[N, K], At: float64[M, N], B: float64[K, M])
def transposed(C, At, B):
    """The row factor down a column (At[k, i]): its operand read transposed."""
    for i in range(At.shape[1]):
        for k in range(At.shape[0]):
            C[i, :] += At[k, i] * B[:, k]


# dfc: writes_operand(C: float64[N, N], A: float64[N, M])
def writes_operand(C, A):
    """The loop scales row i of A before its updates: left alone."""
    for i in range(A.shape[0]):
        A[i, :] *= 0.5
        for k in range(A.shape[1]):
            C[i, :i + 1] += A[i, k] * A[:i + 1, k]


# dfc: squared(C: float64[N, N], A: float64[N, M])
def squared(C, A):
    """A factor squared: not one row element times one column element."""
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            C[i, :] += A[i, k] * A[i, k] * A[:, k]


# dfc: k_follows_row(C: float64[N, N], A: float64[N, N])
def k_follows_row(C, A):
    """k runs up to the row: not one product."""
    for i in range(A.shape[0]):
        for k in range(i):
            C[i, :] += A[i, k] * A[:, k]


# dfc: col_by_row(C: float64[N, N], A: float64[N, M], B: float64[N, N, M])
def col_by_row(C, A, B):
    """The column factor varies with the row too."""
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            C[i, :] += A[i, k] * B[i, :, k]


# dfc: k_in_branch(alpha: float64, C: float64[N, N], A: float64[N, M])
def k_in_branch(alpha, C, A):
    """k as a value in a branch of a conditional: not a scalar factor."""
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            C[i, :i + 1] += A[i, k] * A[:i + 1, k] * (k if alpha > 0 else 1.0)
