"""In-place idioms of scientific scripts, where NumPy's semantics (the
right-hand side is evaluated before the overlapping write) decide the
result: symmetrising A += A.T, transposing and reversing in place,
shifting buffers, vectorised Gaussian elimination whose update reads the
pivot column it overwrites, Gauss-Jordan inversion, and helpers that
update overlapping views."""
import numpy as np

# dfc-test: sizes N=8,M=6 | N=13,M=11
# dfc-test: spd S


def axpy_into(y, a, x):
    """y += a x, for views of the caller's arrays."""
    y += a * x


# dfc: symmetrize(A: float64[N, N])
def symmetrize(A):
    """A += A^T reads the old transpose: A becomes A + A^T."""
    A += A.T
    return A


# dfc: transpose_inplace(A: float64[N, N])
def transpose_inplace(A):
    """A[:] = A.T, the classic in-place transposition."""
    A[:] = A.T


# dfc: reverse_inplace(x: float64[N], A: float64[N, M])
def reverse_inplace(x, A):
    """Reverses a vector and the rows of a matrix in place."""
    x[:] = x[::-1]
    A[:, :] = A[::-1, :]


# dfc: shift_buffers(x: float64[N], y: float64[N])
def shift_buffers(x, y):
    """Delay lines: x moves one place right (new value 0 enters), y one
    place left (its first value wraps to the end)."""
    x[1:] = x[:-1]
    x[0] = 0.0
    first = y[0]
    y[:-1] = y[1:]
    y[-1] = first


# dfc: pairwise_add(x: float64[N])
def pairwise_add(x):
    """x[1:] += x[:-1] adds the old left neighbours (not a prefix sum)."""
    x[1:] += x[:-1]


# dfc: gauss_eliminate(S: float64[N, N], b: float64[N])
def gauss_eliminate(S, b):
    """Gaussian elimination without pivoting (S is SPD), each step a rank-1
    update of the trailing block, then back substitution; S and b are
    reduced in place, the solution is returned."""
    n = S.shape[0]
    for i in range(n - 1):
        f = S[i + 1:, i] / S[i, i]
        b[i + 1:] -= f * b[i]
        S[i + 1:, i:] -= np.outer(f, S[i, i:])
    x = np.zeros(n)
    for i in range(n - 1, -1, -1):
        x[i] = (b[i] - S[i, i + 1:] @ x[i + 1:]) / S[i, i]
    return x


# dfc: gauss_jordan_inverse(S: float64[N, N])
def gauss_jordan_inverse(S):
    """Inverse of an SPD matrix by Gauss-Jordan elimination on [S | I]
    without pivoting."""
    n = S.shape[0]
    aug = np.zeros((n, 2 * n))
    aug[:, :n] = S
    for i in range(n):
        aug[i, n + i] = 1.0
    for i in range(n):
        aug[i, :] /= aug[i, i]
        for r in range(n):
            if r != i:
                aug[r, :] -= aug[r, i] * aug[i, :]
    return aug[:, n:]


# dfc: overlapping_helper(u: float64[N])
def overlapping_helper(u):
    """A helper updates one view from an overlapping view of the same
    array: u[1:] += 0.5 u[:-1], with NumPy's buffered semantics."""
    axpy_into(u[1:], 0.5, u[:-1])
    return u


# dfc: block_swap(A: float64[N, N])
def block_swap(A):
    """Swaps the upper and lower halves of the rows with a temporary copy,
    then adds the first column to every column."""
    h = A.shape[0] // 2
    top = A[:h, :].copy()
    A[:h, :] = A[A.shape[0] - h:, :]
    A[A.shape[0] - h:, :] = top
    A += A[:, :1]
