"""Overlapping in-place copies and updates of one array (`x[1:] = x[:-1]`),
which NumPy evaluates as if through a buffer. dfc writes them in place
when running the elements in ascending or descending order reads only old
values (redundant-copy-removal, case (c), sequential), and keeps the
buffer where no order does (a reversal, a 3-point smoothing)."""
import numpy as np

# dfc-test: sizes N=3 | N=4 | N=9 | N=100


# dfc: shift_right(x: float64[N])
def shift_right(x):
    """Descending order: x[i + 1] = x[i]."""
    x[1:] = x[:-1]


# dfc: shift_left(x: float64[N])
def shift_left(x):
    """Ascending order: x[i] = x[i + 1]."""
    x[:-1] = x[1:]


# dfc: shift_by_three(x: float64[N], y: float64[N])
def shift_by_three(x, y):
    """Distance 3, with arithmetic, both ways."""
    x[3:] = 2.0 * x[:-3] + 1.0
    y[:-3] = y[3:] - y[0]


# dfc: pairwise(x: float64[N])
def pairwise(x):
    """x[i + 1] = x[i + 1] + x[i] with old values: descending order."""
    x[1:] = x[1:] + x[:-1]
    return x


# dfc: strided_shift(x: float64[N])
def strided_shift(x):
    """Every other element moves two places right."""
    x[2::2] = x[:-2:2]


# dfc: with_index(x: float64[N])
def with_index(x):
    """Another array read alongside, at the written index."""
    i = np.arange(x.shape[0])
    x[1:] = x[:-1] + 0.5 * i[1:]
    return x


# dfc: reverse(x: float64[N])
def reverse(x):
    """No order works: the buffer stays."""
    x[:] = x[::-1]


# dfc: smooth(x: float64[N])
def smooth(x):
    """Reads both neighbours: no order works, the buffer stays."""
    x[1:-1] = 0.25 * x[:-2] + 0.5 * x[1:-1] + 0.25 * x[2:]


# dfc: rows_down(A: float64[N, N])
def rows_down(A):
    """Two parameters: the buffer stays (only one-parameter maps are ordered)."""
    A[1:, :] = A[:-1, :]
    return A
