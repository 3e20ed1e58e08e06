"""Helper functions without signatures, inlined: returning scalars, arrays
and tuples, mutating their array arguments, calling other helpers."""
import numpy as np

# dfc-test: sizes N=9,M=4 | N=3,M=2
# dfc-test: args iters=4


def norm2(v):
    """Euclidean norm."""
    return np.sqrt(np.sum(v * v))


def normalize(v):
    """v / |v| as a new array."""
    return v / norm2(v)


def axpy_inplace(a, x, y):
    """y += a x, in place in the caller's array."""
    y += a * x


def clip_inplace(v, lo, hi):
    """Clamps v element by element, in place."""
    for i in range(v.shape[0]):
        if v[i] < lo:
            v[i] = lo
        elif v[i] > hi:
            v[i] = hi


def stats(v):
    """Mean and spread as a tuple."""
    m = np.mean(v)
    return m, np.max(v) - np.min(v)


def count_above(v, t):
    """A loop with a scalar accumulator inside a helper (early returns in
    helpers are not supported)."""
    c = 0
    for i in range(v.shape[0]):
        if v[i] > t:
            c += 1
    return c


# dfc: use_helpers(x: float64[N], y: float64[N])
def use_helpers(x, y):
    """Helpers used as expressions and as statements."""
    u = normalize(x)
    axpy_inplace(2.0, u, y)
    m, spread = stats(y)
    clip_inplace(y, 1.0, m + 0.5)
    k = count_above(x, 1.2)
    return u, m, spread, norm2(y), k


# dfc: helper_on_views(A: float64[N, M], iters: int64)
def helper_on_views(A, iters):
    """Helpers applied to rows and columns (views) of an argument."""
    for it in range(iters):
        for i in range(A.shape[0]):
            axpy_inplace(0.1, A[i, :] * 0.5, A[i, :])
        clip_inplace(A[:, 0], 0.8, 1.6)
    r = normalize(A[0, :])
    return r, norm2(A.T[0])


def rotate(a, b, c, s):
    """Givens rotation of two vectors as a tuple of new arrays."""
    return c * a - s * b, s * a + c * b


# dfc: givens(A: float64[N, M])
def givens(A):
    """Zeroes A[1, 0] with a rotation of the first two rows, via a helper."""
    r = np.sqrt(A[0, 0] ** 2 + A[1, 0] ** 2)
    c = A[0, 0] / r
    s = -A[1, 0] / r
    A[0, :], A[1, :] = rotate(A[0, :], A[1, :], c, s)
    return A[1, 0]


def bump(s):
    """Rebinds its scalar parameter; the caller's name is unaffected."""
    s = s + 1.0
    return s


def total(v):
    """A loop accumulator inside a helper inlined several times."""
    t = 0.0
    for i in range(v.shape[0]):
        t += v[i]
    return t


def clash(y):
    """Locals named like the caller's (x, i) stay local."""
    x = y * 10.0
    i = 3
    return x + i


def kw(a, b=2.0, c=3.0):
    """Default and keyword arguments."""
    return a * b + c


# dfc: helper_scalar_arg(x: float64[N])
def helper_scalar_arg(x):
    """A scalar passed to a helper that rebinds it."""
    s = x[0]
    r = bump(s)
    return s, r


# dfc: helper_twice_in_loop(x: float64[N])
def helper_twice_in_loop(x):
    """The same helper inlined several times, inside a loop."""
    acc = 0.0
    for k in range(3):
        acc += total(x) + total(x[1:])
    return acc, total(x * 2.0)


# dfc: helper_clash(x: float64[N])
def helper_clash(x):
    """Helper locals do not clobber the caller's names."""
    i = 7
    y = clash(x)
    return x, y, i


# dfc: helper_kw(x: float64[N])
def helper_kw(x):
    """Helper calls with defaults and keywords."""
    return kw(x), kw(x, 1.0), kw(x, c=0.5), kw(a=x[0], b=x[1])


def set_first(v, val):
    """Writes through whatever view it is given."""
    v[0] = val


# dfc: helper_mutate_nested(A: float64[N, N])
def helper_mutate_nested(A):
    """Helpers writing through views of views and transposes."""
    set_first(A[1, :], 9.0)
    set_first(A[:, 2][1:], -9.0)
    set_first(A.T[-1], 4.0)
    return A[1, 0] + A[-1, 0]


def interior(A):
    """A view of the interior, returned."""
    return A[1:-1, 1:-1]


def ident(A):
    """Returns its argument: the caller gets an alias."""
    return A


# dfc: helper_view_write(G: float64[N, N])
def helper_view_write(G):
    """Writes through views returned by helpers."""
    interior(G)[:, :] = 0.0
    v = interior(G)
    v += 1.0
    w = ident(G)
    w[0, 0] = -5.0
    return np.sum(G)


# dfc: helper_view_read(G: float64[N, N])
def helper_view_read(G):
    """A view returned by a helper sees later writes; its transpose."""
    v = interior(G)
    G[-2, -2] = 100.0
    return v[-1, -1], interior(G).T * 2.0
