"""Named views written through, views of views, transposes written, += on
views, aliasing by assignment. (`v += x` on a view name: see
aliasing.py.)"""
import numpy as np

# dfc-test: sizes N=9,M=7 | N=4,M=4


# dfc: write_through(A: float64[N, M])
def write_through(A):
    """Writes through a named view reach the argument; reads see them."""
    inner = A[1:-1, 1:-1]
    inner[:, :] = 0.0
    top = A[0, :]
    top[:] += 1.0
    corner = inner[:2, :2]
    corner[:, :] = A[0, 1] + 5.0
    return np.sum(A)


# dfc: view_chain(A: float64[N, M], x: float64[N])
def view_chain(A, x):
    """A view of a view of a row, updated with += and *=."""
    row = A[2, :]
    part = row[1:]
    part[:] += 2.0
    part[1:] *= x[0]
    col = A[:, 0]
    col[:] = x
    sub = A[1:, 1:]
    sub2 = sub[1:, :2]
    sub2[:, :] -= 1.0
    return row.copy()


# dfc: transpose_write(A: float64[N, N], B: float64[N, N])
def transpose_write(A, B):
    """Writing A.T writes A transposed; reading B.T in the same statement."""
    A.T[:, :] = B + 1.0
    C = B.T
    C[0, :] = 7.0
    At = A.T
    At[1:, 0] = B[0, 1:]
    return A.T + B.T


# dfc: alias_assign(A: float64[N, M], x: float64[M])
def alias_assign(A, x):
    """B = A names the same array: B[0] = ... modifies A."""
    B = A
    B[0] = x
    B[1, :] += x * 2.0
    y = x
    y[0] = -1.0
    return A[0, 0] + B[1, 0]


# dfc: self_overlap(a: float64[N])
def self_overlap(a):
    """The right-hand side is evaluated before the write (overlap)."""
    a[1:] = a[:-1] + 1.0
    a[:-1] = a[1:] * 2.0
    a[::2] = a[::2] + a[0]
    a[1:] += a[:-1]
    return a[0]
