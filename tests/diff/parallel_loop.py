"""Parallel for loops whose bodies hold control flow (loop-parallelize):
triangular work, nested loops, a reduction into a per-iteration scalar,
a branch per row, a reversed loop, and loops that must stay sequential."""
import numpy as np

# dfc-test: sizes N=9,M=7 | N=1,M=3 | N=40,M=33


# dfc: tri_update(alpha: float64, C: float64[N, N], A: float64[N, M])
def tri_update(alpha, C, A):
    """syrk's shape: row i of the lower triangle, work growing with i."""
    for i in range(A.shape[0]):
        C[i, :i + 1] *= 0.5
        for k in range(A.shape[1]):
            C[i, :i + 1] += alpha * A[i, k] * A[:i + 1, k]


# dfc: nested_rows(C: float64[N, M], A: float64[N, M], B: float64[M, M])
def nested_rows(C, A, B):
    """Three nested loops; the outer one owns row i of C."""
    for i in range(C.shape[0]):
        for j in range(C.shape[1]):
            for k in range(A.shape[1]):
                C[i, j] = C[i, j] + A[i, k] * B[k, j]


# dfc: row_dots(y: float64[N], A: float64[N, M], x: float64[M])
def row_dots(y, A, x):
    """A scalar accumulated over k in each iteration: private to it."""
    for i in range(A.shape[0]):
        s = 0.0
        for k in range(A.shape[1]):
            s = s + A[i, k] * x[k]
        y[i] = s


# dfc: branch_rows(A: float64[N, M], v: float64[N])
def branch_rows(A, v):
    """An if in the body, a nested loop in one branch."""
    for i in range(A.shape[0]):
        if v[i] > 1.0:
            for j in range(A.shape[1]):
                A[i, j] = A[i, j] * v[i] + j
        else:
            A[i, :] = -A[i, :]


# dfc: reversed_rows(B: float64[N, M], A: float64[N, M])
def reversed_rows(B, A):
    """A loop with step -1 over the rows, a running update inside."""
    for i in range(A.shape[0] - 1, -1, -1):
        for k in range(1, A.shape[1]):
            B[i, k] = B[i, k - 1] * 0.5 + A[i, k]


# dfc: carried_rows(A: float64[N, M])
def carried_rows(A):
    """Row i reads row i - 1: stays sequential."""
    for i in range(1, A.shape[0]):
        for k in range(A.shape[1]):
            A[i, k] = A[i, k] + 0.5 * A[i - 1, k]


# dfc: shared_scalar(A: float64[N, M])
def shared_scalar(A):
    """A scalar carried across iterations: stays sequential."""
    t = 0.0
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            t = t * 0.5 + A[i, k]
        A[i, 0] = t
    return t


# dfc: skewed_write(B: float64[N, N], A: float64[N, M])
def skewed_write(B, A):
    """Iteration i writes B[i + k - ...]: rows overlap, stays sequential."""
    for i in range(A.shape[0]):
        for k in range(A.shape[0] - i):
            B[i + k, 0] = B[i + k, 0] + A[i, 0]
