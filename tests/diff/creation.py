"""Array creation: zeros/ones/empty/full and their _like forms, with dtype=
(np.float64 ... and the builtin names float, int, bool),
shapes from sizes, .shape, len() and integer expressions; .copy()."""
import numpy as np

# dfc-test: sizes N=5,M=3 | N=2,M=7


# dfc: basic(x: float64[N, M], n: int64)
def basic(x, n):
    """Shapes from .shape, len() and integer parameters."""
    a = np.zeros(x.shape)
    b = np.ones((x.shape[1], len(x)))
    c = np.full((n, 2), 3.5)
    d = np.empty(x.shape[0] + 1)
    d[:] = 2.0
    e = np.zeros((2 * n + 1,))
    e[::2] = 1.0
    f = np.full(x.shape, -1)
    return a + x, b, c, d, e, f


# dfc: with_dtype(x: float64[N, M])
def with_dtype(x):
    """dtype= in every spelling."""
    a = np.zeros(x.shape, dtype=np.int32)
    b = np.ones(x.shape[0], dtype=np.float32)
    c = np.full(x.shape, 7, dtype=np.int64)
    d = np.zeros((3, 3), dtype=np.bool_)
    e = np.ones(4, np.int64)
    f = np.full((2,), 1.5, np.float32)
    g = np.zeros(x.shape, dtype=np.float64)
    h = np.ones(2, dtype=np.int64)
    a[0, :] = 3
    return a, b, c, d, e, f, g, h


# dfc: likes(x: float64[N, M], k: int64[N], z: float32[M])
def likes(x, k, z):
    """_like forms keep dtype and shape unless dtype= overrides."""
    a = np.zeros_like(x)
    b = np.ones_like(k)
    c = np.full_like(z, 2.5)
    d = np.empty_like(x)
    d[:, :] = x * 2.0
    e = np.full_like(k, 3.7)
    f = np.zeros_like(x, dtype=np.int32)
    g = np.ones_like(z, dtype=np.float64)
    return a, b, c, d, e, f, g


# dfc: copies(x: float64[N, M])
def copies(x):
    """.copy() detaches from the argument; np.copy too."""
    y = x.copy()
    y[0, 0] = 100.0
    r = x[0, :].copy()
    x[0, :] = 0.0
    t = x.T.copy()
    t[0, :] = -1.0
    u = np.copy(x[:, ::2])
    x[:, 0] = 5.0
    return y, r, t, u


# dfc: attrs(x: float64[N, M])
def attrs(x):
    """.shape, .ndim, .size, len() as integers in arithmetic."""
    n, m = x.shape
    s = x.size + x.ndim * 10 + len(x) * 100
    return n * m, s, np.sum(x) / x.size


# dfc: dtype_builtin_names(x: float64[N, M])
def dtype_builtin_names(x):
    """The builtin type names float, int and bool as dtypes."""
    a = np.zeros(x.shape, dtype=float)
    b = np.ones(3, dtype=int)
    c = np.zeros(3, dtype=bool)
    return a, b, c
