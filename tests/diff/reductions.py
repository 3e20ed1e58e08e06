"""Reductions: sum/max/min/mean/prod with axis 0/1/None/negative/tuples and
keepdims, as np functions and as array methods, on views and expressions."""
import numpy as np

# dfc-test: sizes N=7,M=5,K=3 | N=1,M=4,K=2
# dfc-test: range X=-2,2


# dfc: axes2d(X: float64[N, M])
def axes2d(X):
    """Every axis form on a matrix."""
    a = np.sum(X, axis=0)
    b = np.max(X, axis=1)
    c = np.min(X, axis=-1)
    d = np.mean(X, axis=-2)
    e = np.prod(X, axis=1)
    f = np.sum(X, axis=(0, 1))
    g = np.sum(X, axis=None)
    h = np.max(X, axis=(1, 0))
    return a, b, c, d, e, f, g, h


# dfc: keepdims3d(X: float64[N, M, K])
def keepdims3d(X):
    """keepdims on a 3-D array, broadcast back against X."""
    a = X - np.mean(X, axis=(0, 2), keepdims=True)
    b = X / np.max(np.abs(X), axis=-1, keepdims=True)
    c = np.sum(X, axis=1, keepdims=True)
    d = np.min(X, keepdims=True)
    e = np.sum(X, axis=(0, 1))
    f = np.prod(X, axis=0)
    return a, b, c, d, e, f


# dfc: methods(X: float64[N, M])
def methods(X):
    """The same reductions written as methods."""
    a = X.sum()
    b = X.max(axis=0)
    c = X.min(1)
    d = X.mean(axis=1, keepdims=True)
    e = (X * 2.0).prod(axis=0)
    f = X[1:, ::2].sum(axis=0)
    g = X.T.mean(axis=0)
    return a, b, c, d, e, f, g


# dfc: on_views(X: float64[N, M], v: float64[M])
def on_views(X, v):
    """Reductions of slices, transposes and expressions, used as scalars."""
    s = np.sum(X[:, 1:] * 2.0) + np.max(v[::2])
    t = np.min(X.T, axis=1)
    m = np.mean(X[-1, :])
    r = np.sum(X * v, axis=1) / np.sum(v)
    q = np.max(X - v)
    return s, t, m, r, q


# dfc: int_and_bool(X: float64[N, M], A: int64[N, M])
def int_and_bool(X, A):
    """Reductions of integer and boolean arrays keep NumPy's dtypes."""
    cnt = np.sum(X > 0.0)
    cnt0 = np.sum(X > 0.0, axis=0)
    s = np.sum(A, axis=1)
    p = np.prod(A % 3 + 1)
    mx = np.max(A, axis=0)
    mn = np.min(A)
    mu = np.mean(A, axis=0)
    mb = np.max(X > 1.0)
    return cnt, cnt0, s, p, mx, mn, mu, mb


# dfc: f32_reductions(X: float32[N, M])
def f32_reductions(X):
    """float32 reductions stay float32 (the mean too)."""
    return np.sum(X), np.mean(X, axis=0), np.max(X, axis=1), X.mean(), np.prod(X, axis=1)


# dfc: narrow_dtypes(u8: uint8[N, M], i8: int8[N, M], u32: uint32[N, M], i16: int16[N, M], b: bool[N, M], f: float32[N, M])
def narrow_dtypes(u8, i8, u32, i16, b, f):
    """Sums of narrow ints widen to 64 bits (unsigned stay unsigned); bool
    sums count; prod of bool is int64; max keeps the dtype; mean is float64
    except for float32."""
    return (np.sum(u8), np.sum(i8, axis=0), np.prod(u32, axis=1), np.sum(i16), np.sum(b, axis=1),
            np.prod(b), np.max(b, axis=0), np.mean(u8), np.mean(b), np.mean(i8, axis=1), np.max(u8),
            np.min(i16, axis=0), np.mean(f, axis=1), np.prod(i8))
