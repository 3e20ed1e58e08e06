"""Boolean-mask selections kept as arrays of their data-dependent size
(y = x[m] is a copy, as in NumPy): reductions, elementwise operations,
shapes, lengths, indexing and loops over the copy, later writes to the
source or the copy, N-D sources with a full-shape mask (flattened in C
order), rows and columns selected by a 1-D mask, empty selections."""
import numpy as np

# dfc-test: sizes N=13,M=5 | N=1,M=3 | N=6,M=1
# dfc-test: args t=1.0


# dfc: keep_1d(x: float64[N], t: float64)
def keep_1d(x, t):
    """y = x[x > t] used by reductions, arithmetic, shape and len."""
    y = x[x > t]
    z = y * 2.0
    n = y.shape[0]
    return np.sum(z), y.mean() if n > 0 else 0.0, n, len(y), np.sum(y * y + 1.0)


# dfc: keep_is_copy(x: float64[N], w: int64[N])
def keep_is_copy(x, w):
    """The copy does not see later writes to x, and writes to it do not
    reach x."""
    m = w > 4
    y = x[m]
    x[0] = 100.0
    y += 1.0
    x[m] *= 2.0
    return np.sum(y), np.sum(x)


# dfc: keep_index(x: float64[N], w: int64[N])
def keep_index(x, w):
    """Indexing, slicing and looping over a kept selection, and its size
    as an array size and a range bound."""
    y = x[w % 2 == 0]
    n = y.shape[0]
    acc = 0.0
    for i in range(n):
        acc += y[i] * (i + 1)
    r = np.zeros(n)
    r[:] = y[::-1]
    tail = np.sum(y[1:]) if n > 1 else -1.0
    first = y[0] if n > 0 else -2.0
    return acc, np.sum(r * np.arange(n)), tail, first


# dfc: keep_nd(A: float64[N, M], t: float64)
def keep_nd(A, t):
    """A full-shape mask on a 2-D array selects in C order (flattened)."""
    v = A[A > t]
    s = 0.0
    for i in range(v.shape[0]):
        s = s * 0.5 + v[i]
    return s, v.size, np.max(v) if v.size > 0 else 0.0


# dfc: keep_rows(A: float64[N, M], w: int64[N])
def keep_rows(A, w):
    """Rows selected by a 1-D mask: a (count, M) array, reduced along both
    axes."""
    R = A[w > 3]
    return np.sum(R, axis=0), R.shape[0], np.sum(R * 2.0 - 1.0)


# dfc: keep_cols(A: float64[N, M], u: int64[M])
def keep_cols(A, u):
    """Columns selected by a 1-D mask: an (N, count) array."""
    C = A[:, u > 4]
    return np.sum(C, axis=1), C.shape[1], np.sum(C.T @ np.ones(A.shape[0]))


# dfc: keep_ints(w: int64[N])
def keep_ints(w):
    """Integer selections: cumulative sums over the copy and the count."""
    e = w[w % 3 != 0]
    c = np.cumsum(e)
    return np.sum(c), np.count_nonzero(w % 3 != 0), e.shape[0]


# dfc: keep_helper(x: float64[N], t: float64)
def keep_helper(x, t):
    """A selection passed to a helper, which sees a copy."""
    return scale_sum(x[x < t], 3.0), np.sum(x)


def scale_sum(v, f):
    v *= f
    return np.sum(v)


# dfc: keep_misc(A: float64[N, M], x: float64[N], w: int64[N])
def keep_misc(A, x, w):
    """Looping over a selection, indexing it directly, a transpose, a
    reduction of kept rows along the other axis, and an operand of
    another shape."""
    acc = 0.0
    for v in x[w > 2]:
        acc = acc * 0.5 + v
    Y = A[w < 6]
    first = x[w >= 0][0]
    t = np.sum(A[w < 6].T * 2.0)
    o = np.sum(x[w > 7] + np.ones(1))
    return acc, np.sum(Y.sum(axis=1) * 3.0), first, t, o


# dfc: keep_in_loop(A: float64[N, M], t: float64)
def keep_in_loop(A, t):
    """A selection kept inside a loop, its size different per row."""
    out = np.zeros(A.shape[0])
    for i in range(A.shape[0]):
        r = A[i][A[i] > t]
        out[i] = np.sum(r * r) + r.shape[0]
    return out
