"""In-place updates of arguments whose right-hand side reads the updated
array through reductions, transposes, products and shifted slices."""
import numpy as np

# dfc-test: sizes N=8 | N=3


# dfc: normalize(a: float64[N], B: float64[N, N])
def normalize(a, B):
    """a /= sum(a); B's rows divided by their sums, columns centred."""
    a[:] = a / np.sum(a)
    B /= np.sum(B, axis=1, keepdims=True)
    B -= np.mean(B, axis=0)
    a[1:] = a[1:] + np.sum(a[:-1])


# dfc: symmetrize(A: float64[N, N])
def symmetrize(A):
    """A = (A + A.T) / 2 in place, then A = A @ A in place."""
    A[:, :] = 0.5 * (A + A.T)
    A[:, :] = A @ A
    A += A.T


# dfc: shift_ops(x: float64[N], y: float64[N])
def shift_ops(x, y):
    """Overlapping shifted reads and writes of the same vector."""
    x[1:] = x[:-1] * 2.0
    y[:-1] += y[1:]
    x[0] = x[-1] + y[0]
    y[:] = x * y + y[::2][0]


# dfc: element_updates(A: float64[N, N], v: int64[N])
def element_updates(A, v):
    """Single elements updated with every augmented operator."""
    A[0, 0] += 1.5
    A[-1, -1] -= A[0, 0]
    A[1, 0] *= 2.0
    A[0, 1] /= 4.0
    A[2, 2] **= 2
    A[1, 1] //= 0.25
    A[2, 1] %= 0.3
    v[0] += 3
    v[1] -= 7
    v[2] *= -2
    v[-1] //= 2
    v[0] %= 4
    v[1] **= 2
    v[2] &= 6
    v[0] |= 8
    v[1] ^= 5
    v[2] <<= 2
    v[-1] >>= 1


# dfc: rows_inplace(A: float64[N, N], x: float64[N])
def rows_inplace(A, x):
    """Row and column slices updated with vectors and scalars."""
    for i in range(A.shape[0]):
        A[i, :] += x
        A[:, i] *= 1.0 + x[i]
        A[i, i] = np.max(A[i, :])


# dfc: aug_casts(f: float32[N], d: float64[N], i: int32[N], l: int64[N], b: bool[N])
def aug_casts(f, d, i, l, b):
    """Augmented assignment casts back to the target's dtype (same_kind)."""
    f += d
    f *= 1.5
    i += l
    i *= 3
    d += i
    d /= l + 1
    b |= d > 2.0
    b &= f > 0.5
    l -= b
    l //= 2
    i %= 4
    f **= 2
    return np.sum(f)


# dfc: ov_shift(x: float64[N], y: float64[N])
def ov_shift(x, y):
    """Overlapping shifted += in both directions, strided rewrite."""
    x[1:] += x[:-1]
    y[:-1] += y[1:]
    x[::2] = x[::2] * 2.0 + x[-1]
    return x, y


# dfc: ov_2d(A: float64[N, N])
def ov_2d(A):
    """Overlapping row shift, column shift through .T.T, A = A.T - A."""
    A[1:, :] -= A[:-1, :] * 0.5
    A[:, :-1] += A[:, 1:].T.T
    A[:, :] = A.T - A


# dfc: lu_rows(A: float64[N, N])
def lu_rows(A):
    """LU with the column scaled by a slice /= and rows updated by slices."""
    n = A.shape[0]
    for i in range(n):
        A[i, i] += n
    for k in range(n - 1):
        A[k + 1:, k] /= A[k, k]
        for i in range(k + 1, n):
            A[i, k + 1:] -= A[i, k] * A[k, k + 1:]
    return A


# dfc: cumsum_inplace(x: float64[N])
def cumsum_inplace(x):
    """x[k:] += x[k - 1]: the scalar is read before the slice is written."""
    for k in range(1, x.shape[0]):
        x[k:] += x[k - 1]
    return x


# dfc: lu_column_scale(A: float64[N, N])
def lu_column_scale(A):
    """A[k + 1:, k] /= A[k, k]: the divisor lies outside the written slice."""
    for k in range(A.shape[0] - 1):
        A[k + 1:, k] /= A[k, k]


# dfc: lu_row_update(A: float64[N, N])
def lu_row_update(A):
    """The LU trailing update row by row: A[i, k+1:] -= A[i, k] * A[k, k+1:]
    (reads row k and column k, writes row i > k right of column k)."""
    n = A.shape[0]
    for k in range(n - 1):
        for i in range(k + 1, n):
            A[i, k + 1:] -= A[i, k] * A[k, k + 1:]


# dfc: element_casts(a: int8[N], b: int32[N, N], c: bool[N], d: float32[N], x: float64[N])
def element_casts(a, b, c, d, x):
    """`a[i] op= y` on one element is `a[i] = a[i] op y` on NumPy scalars:
    no same_kind rule, the store casts like any item assignment (a float
    truncated into an int, wrapped into int8, a float into bool)."""
    a[1] *= 2.5
    a[2] += 300
    a[0] *= x[0]
    b[1, 2] //= 2.5
    b[0, 0] -= 0.75
    c[0] += 1.5
    c[1] *= 0.0
    d[0] *= x[1]
    a[-1] **= 2.0
