"""Row and column operations: swaps through tuple assignment (with NumPy's
view semantics on the right-hand side), chained subscripts A[i][j],
column copies, elementary row operations in loops."""
import numpy as np

# dfc-test: sizes N=5 | N=7
# dfc-test: args i=1 j=3


# dfc: row_swap_views(A: float64[N, N], i: int64, j: int64)
def row_swap_views(A, i, j):
    """The NumPy gotcha: the right-hand side holds views, so both rows end
    up equal to the old row j."""
    A[i, :], A[j, :] = A[j, :], A[i, :]


# dfc: row_swap_copy(A: float64[N, N], i: int64, j: int64)
def row_swap_copy(A, i, j):
    """A real row swap with copies."""
    A[i, :], A[j, :] = A[j, :].copy(), A[i, :].copy()


# dfc: chained_sub(A: float64[N, N], i: int64, j: int64)
def chained_sub(A, i, j):
    """A[i][j] reads and writes through the row view."""
    A[i][j] = 3.0
    A[j][i] += A[i][j]
    return A[1][2]


# dfc: col_copy(A: float64[N, N], i: int64, j: int64)
def col_copy(A, i, j):
    """Column copied onto another column, then onto a row."""
    A[:, i] = A[:, j]
    A[j, :] = A[:, j]


# dfc: eliminate(A: float64[N, N], b: float64[N])
def eliminate(A, b):
    """Gaussian elimination without pivoting (diagonally dominant A) by row
    operations on whole rows, then back substitution."""
    n = A.shape[0]
    for k in range(n):
        A[k, k] += 2.0 * n
    for k in range(n - 1):
        for i in range(k + 1, n):
            f = A[i, k] / A[k, k]
            A[i, :] = A[i, :] - f * A[k, :]
            b[i] -= f * b[k]
    x = np.zeros(n)
    for i in range(n - 1, -1, -1):
        x[i] = (b[i] - np.dot(A[i, i + 1:], x[i + 1:])) / A[i, i]
    return x
