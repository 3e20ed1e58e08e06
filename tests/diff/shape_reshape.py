"""np.reshape / .reshape / .ravel / np.ravel / .flatten: reads through
reshapes (index arithmetic), views that only add or remove unit
dimensions (written through), and reshapes of computed values."""
import numpy as np

# dfc-test: sizes N=6,M=4,K=3 | N=5,M=7,K=2


# dfc: flat_reads(A: float64[N, M], x: float64[N])
def flat_reads(A, x):
    """Flat views of a matrix, read in expressions and reductions."""
    n, m = A.shape
    f = A.reshape(n * m) * 2.0
    g = np.ravel(A) + A.ravel()
    s = np.sum(A.reshape(-1))
    c = x.reshape(n, 1) * A
    return f, g, s, c, np.reshape(A, (m, n)) + 1.0


# dfc: split_merge(T: float64[N, M, K], v: float64[K])
def split_merge(T, v):
    """Merging trailing dimensions, splitting them back, -1 inferred."""
    n, m, k = T.shape
    a = T.reshape(n, m * k)
    b = a.reshape(n, m, k) - T
    c = T.reshape(-1, k) @ v
    d = T.reshape((n * m, k)).sum(axis=0)
    return a.copy(), b, c, d, T.reshape([k, n * m])[1, :]


# dfc: computed(n: int64)
def computed(n):
    """Reshapes of lazy values: arange grids and arithmetic."""
    g = np.arange(n * 3).reshape(n, 3)
    h = (np.arange(12) * 1.5).reshape(3, 4)
    r = np.arange(24).reshape(2, 3, 4).reshape(6, 4)
    return g, h, r, g.flatten()


# dfc: unit_views(x: float64[N], A: float64[N, M])
def unit_views(x, A):
    """Reshapes that only add or remove unit dimensions are views: writes
    through them reach the array."""
    col = x.reshape(x.shape[0], 1)
    col[0, 0] = 5.0
    row = A[1].reshape(1, A.shape[1])
    row[0, :] += 1.0
    y = x.reshape(1, -1, 1).reshape(x.size)
    return col * 2.0, y + 0.0, A.sum()


# dfc: flatten_copy(A: float64[N, M])
def flatten_copy(A):
    """flatten copies: later writes to A do not change it."""
    f = A.flatten()
    A[0, 0] = -1.0
    g = A.flatten()
    g[1] = 7.0
    return f, g, A[0, 1]


# dfc: ints(A: int32[N, M])
def ints(A):
    """dtypes are kept."""
    n, m = A.shape
    return A.reshape(m, n), A.ravel().sum(), A.reshape(m, n)[0, 0]


# dfc: kept_reads(A: float64[N, M], out: float64[M], t: int64)
def kept_reads(A, out, t):
    """A reshape kept in a name while other arrays are written in place."""
    B = A.reshape(A.shape[1], A.shape[0])
    out[:] = B.sum(axis=1)
    for i in range(t):
        out[:] += A.reshape(-1)[A.shape[1]:2 * A.shape[1]]
    return B[0, :] + 0.0


# dfc: loop_reads(A: float64[N, M], t: int64)
def loop_reads(A, t):
    """Reshapes read (not kept) inside a loop that updates their source."""
    for i in range(t):
        A[0, :] += A.reshape(-1)[A.shape[1]:2 * A.shape[1]]
    return A.ravel().sum()
