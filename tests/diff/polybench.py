"""PolyBench kernels in NumPy style (after NPBench): triangular slice
updates, stencils, 3-D products, scalar recurrences. (durbin and
covariance: failing/.)"""
import numpy as np

# dfc-test: sizes N=9,M=7 | N=3,M=2
# dfc-test: args alpha=1.5 beta=1.2 TSTEPS=3


# dfc: syrk(alpha: float64, beta: float64, C: float64[N, N], A: float64[N, M])
def syrk(alpha, beta, C, A):
    """C = alpha A A^T + beta C on the lower triangle, row slices C[i, :i+1]."""
    for i in range(A.shape[0]):
        C[i, :i + 1] *= beta
        for k in range(A.shape[1]):
            C[i, :i + 1] += alpha * A[i, k] * A[:i + 1, k]


# dfc: syr2k(alpha: float64, beta: float64, C: float64[N, N], A: float64[N, M], B: float64[N, M])
def syr2k(alpha, beta, C, A, B):
    """The rank-2k update on the lower triangle."""
    for i in range(A.shape[0]):
        C[i, :i + 1] *= beta
        for k in range(A.shape[1]):
            C[i, :i + 1] += (A[:i + 1, k] * alpha * B[i, k] + B[:i + 1, k] * alpha * A[i, k])


# dfc: trmm(alpha: float64, A: float64[M, M], B: float64[M, N])
def trmm(alpha, A, B):
    """B = alpha A^T B with the strict lower triangle of A, dot products of column tails."""
    for i in range(B.shape[0]):
        for j in range(B.shape[1]):
            B[i, j] += np.dot(A[i + 1:, i], B[i + 1:, j])
    B *= alpha


# dfc: symm(alpha: float64, beta: float64, C: float64[M, N], A: float64[M, M], B: float64[M, N])
def symm(alpha, beta, C, A, B):
    """C = alpha A B + beta C with A symmetric (lower triangle stored)."""
    temp2 = np.empty((C.shape[1],), dtype=np.float64)
    C *= beta
    for i in range(C.shape[0]):
        for j in range(C.shape[1]):
            C[:i, j] += alpha * B[i, j] * A[i, :i]
            temp2[j] = B[:i, j] @ A[i, :i]
        C[i, :] += alpha * B[i, :] * A[i, i] + alpha * temp2


# dfc: gemver(alpha: float64, beta: float64, A: float64[N, N], u1: float64[N], v1: float64[N], u2: float64[N], v2: float64[N], w: float64[N], x: float64[N], y: float64[N], z: float64[N])
def gemver(alpha, beta, A, u1, v1, u2, v2, w, x, y, z):
    """Rank-2 update of A, then two matrix-vector products."""
    for i in range(A.shape[0]):
        A[i, :] += u1[i] * v1 + u2[i] * v2
    x += beta * y @ A + z
    w += alpha * A @ x


# dfc: floyd_warshall(path: float64[N, N])
def floyd_warshall(path):
    """All-pairs shortest paths with np.minimum on rows."""
    for k in range(path.shape[0]):
        for i in range(path.shape[0]):
            path[i, :] = np.minimum(path[i, :], path[i, k] + path[k, :])


# dfc: jacobi_1d(TSTEPS: int64, A: float64[N], B: float64[N])
def jacobi_1d(TSTEPS, A, B):
    """Two-buffer 3-point Jacobi sweeps."""
    for t in range(1, TSTEPS):
        B[1:-1] = 0.33333 * (A[:-2] + A[1:-1] + A[2:])
        A[1:-1] = 0.33333 * (B[:-2] + B[1:-1] + B[2:])


# dfc: seidel_2d(TSTEPS: int64, A: float64[N, N])
def seidel_2d(TSTEPS, A):
    """Gauss-Seidel sweeps mixing slice updates and a scalar recurrence."""
    for t in range(0, TSTEPS - 1):
        for i in range(1, A.shape[0] - 1):
            A[i, 1:-1] += (A[i - 1, :-2] + A[i - 1, 1:-1] + A[i - 1, 2:] + A[i, 2:] +
                           A[i + 1, :-2] + A[i + 1, 1:-1] + A[i + 1, 2:])
            for j in range(1, A.shape[0] - 1):
                A[i, j] += A[i, j - 1]
                A[i, j] /= 9.0


# dfc: fdtd_2d(TSTEPS: int64, ex: float64[N, M], ey: float64[N, M], hz: float64[N, M], _fict_: float64[N])
def fdtd_2d(TSTEPS, ex, ey, hz, _fict_):
    """2-D FDTD with a source row read at t % len(_fict_)."""
    for t in range(TSTEPS):
        ey[0, :] = _fict_[t % _fict_.shape[0]]
        ey[1:, :] -= 0.5 * (hz[1:, :] - hz[:-1, :])
        ex[:, 1:] -= 0.5 * (hz[:, 1:] - hz[:, :-1])
        hz[:-1, :-1] -= 0.7 * (ex[:-1, 1:] - ex[:-1, :-1] + ey[1:, :-1] - ey[:-1, :-1])


# dfc: doitgen(A: float64[N, M, M], C4: float64[M, M])
def doitgen(A, C4):
    """A[r, q, :] = A[r, q, :] @ C4 on a 3-D array."""
    for r in range(A.shape[0]):
        for q in range(A.shape[1]):
            A[r, q, :] = A[r, q, :] @ C4
