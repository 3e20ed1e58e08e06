"""Basic slicing: positive steps, negative constant indices, views of views.
(Negative steps: slices_negative.py.)"""
import numpy as np

# dfc-test: sizes N=17,M=11 | N=8,M=6 | N=5,M=4
# dfc-test: args i=2


# dfc: steps1d(a: float64[N])
def steps1d(a):
    """Strided and offset slices of a vector."""
    e = a[::2]
    o = a[1:-1:3]
    b = a[-4::2]
    c = a[-5:-1:3]
    d = a[3:1]
    f = a[-3:]
    g = a[:-3]
    return e, o, b, c, d, f, g


# dfc: steps2d(A: float64[N, M])
def steps2d(A):
    """2-D slices with steps in both dimensions and negative indices."""
    p = A[::2, 1::2]
    q = A[1:-1:2, -2]
    r = A[-1, ::3]
    s = A[:-1:3, :-1:2] + A[1::3, 1::2]
    t = A[-2, -3] + A[0, -1]
    return p, q, r, s, t


# dfc: view_of_view(A: float64[N, M])
def view_of_view(A):
    """Slicing a slice composes the index maps."""
    inner = A[1:, 1:]
    sub = inner[::2, 1:]
    row = sub[-1]
    col = sub[:, 0]
    el = sub[0, -1]
    return sub * 2.0, row, col, el


# dfc: shifted(a: float64[N], b: float64[N])
def shifted(a, b):
    """Arithmetic between overlapping slices of the same and other arrays."""
    c = a + b
    d = a[1:] - a[:-1]
    e = a[::2] * b[:(a.shape[0] + 1) // 2]
    return c, d, e


# dfc: row_col(A: float64[N, M], i: int64)
def row_col(A, i):
    """A row and a column picked by an integer parameter."""
    return A[i, :], A[:, i], A[i], A[i + 1, i:], A[1:i + 2, i - 1]
