"""Basic slicing with negative steps (a[::-1], a[-2::-2], A[::2, ::-1]),
on reads, writes, products, reductions and loops; negative symbolic
indices (A[-i - 1])."""
import numpy as np

# dfc-test: sizes N=17,M=11 | N=8,M=6 | N=5,M=4
# dfc-test: args i=2


# dfc: steps1d(a: float64[N])
def steps1d(a):
    """Reversed, strided and offset slices of a vector."""
    r = a[::-1]
    e = a[::2]
    o = a[1:-1:3]
    b = a[-2::-2]
    c = a[-1:0:-3]
    d = a[3:1:-1]
    f = a[-3:]
    g = a[:-3]
    return r, e, o, b, c, d, f, g


# dfc: steps2d(A: float64[N, M])
def steps2d(A):
    """2-D slices with steps in both dimensions and negative indices."""
    p = A[::2, ::-1]
    q = A[1:-1:2, -2]
    r = A[-1, ::3]
    s = A[::-1, ::-2] + A[::-1, ::-2]
    t = A[-2, -3] + A[0, -1]
    return p, q, r, s, t


# dfc: view_of_view(A: float64[N, M])
def view_of_view(A):
    """Slicing a slice composes the index maps."""
    inner = A[1:, ::-1]
    sub = inner[::2, 1:]
    row = sub[-1]
    col = sub[:, 0]
    el = sub[0, -1]
    return sub * 2.0, row, col, el


# dfc: reverse_sum(a: float64[N], b: float64[N])
def reverse_sum(a, b):
    """Arithmetic between a slice and a reversed slice of another array."""
    c = a + b[::-1]
    d = a[1:] - a[:-1]
    e = a[::2] * b[-1::-2]
    return c, d, e


# dfc: row_col(A: float64[N, M], i: int64)
def row_col(A, i):
    """A row and a column picked by an integer parameter (and a negative one)."""
    return A[i, :], A[:, i], A[-i - 1, 1:], A[i], A[-1 - i, -1 - i]


# dfc: rev_assign(a: float64[N])
def rev_assign(a):
    """a[:] = a[::-1] needs the whole right-hand side first."""
    a[:] = a[::-1]


# dfc: rev_write(a: float64[N], b: float64[N])
def rev_write(a, b):
    """Writes into reversed and negatively strided targets."""
    a[::-1] = b
    b[::-2] = b[::2] * 2.0


# dfc: rev_mm(A: float64[N, M], x: float64[M])
def rev_mm(A, x):
    """Products of reversed rows, columns and vectors."""
    return A[::-1, :] @ x[::-1], A[:, ::-1].T @ A[::-1, ::-1], np.dot(x[::-1], x)


# dfc: rev_red(A: float64[N, M])
def rev_red(A):
    """Reductions of reversed views."""
    return np.sum(A[::-1, ::-2], axis=0), np.max(A[::-1], axis=1), np.mean(A[::-2, :], axis=0)


# dfc: rev_view_write(A: float64[N, M])
def rev_view_write(A):
    """Writes through reversed named views and a reversed transpose."""
    v = A[::-1, ::-1]
    v[0, :] = 1.0
    w = v[1:, ::-2]
    w[:, :] = w * 3.0
    A.T[::-1, :] = A.T * 1.0
    return v[0, 0]


# dfc: rev_loop(x: float64[N])
def rev_loop(x):
    """Scalar loop over a reversed view."""
    y = x[::-1]
    s = 0.0
    for i in range(y.shape[0]):
        s = s * 0.5 + y[i]
    return s, y[-1], y[-2:0:-1]


# dfc: neg_step_slice(a: float64[N])
def neg_step_slice(a):
    """Returns a reversed."""
    return a[::-1]
