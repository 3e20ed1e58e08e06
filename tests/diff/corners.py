"""Small corners: unary +, builtin abs() of arrays, negative indices into
.shape, 1-D reductions with axis, bool constants and not, NaN propagation
through comparisons and max, integer division of size symbols, -0.0."""
import numpy as np

# dfc-test: sizes N=5,M=3 | N=12,M=7
# dfc-test: range x=-2,2


# dfc: uplus(x: float64[N])
def uplus(x):
    """Unary plus on arrays and scalars."""
    return +x, +x[0]


# dfc: abs_arr(x: float64[N])
def abs_arr(x):
    """Builtin abs() of arrays."""
    return abs(x), abs(x - 1.0)


# dfc: shape_neg(A: float64[N, M])
def shape_neg(A):
    """shape[-1], len() of a transpose."""
    return A.shape[-1], len(A.T), A.T.shape[0]


# dfc: red1d(x: float64[N])
def red1d(x):
    """Reductions of a vector with axis=0, axis=-1, positional axis, keepdims."""
    return np.sum(x, axis=0), np.max(x, axis=-1), np.sum(x, 0), np.mean(x, keepdims=True)


# dfc: bool_consts(x: float64[N])
def bool_consts(x):
    """True/False constants, not, and, a bool flipped in a loop."""
    f = True
    c = 0
    for i in range(x.shape[0]):
        if f and not x[i] > 0.0:
            c += 1
        f = not f
    return c, f


# dfc: nan_checks(x: float64[N])
def nan_checks(x):
    """sqrt of negatives gives NaN: y != y, counts, NaN-propagating max."""
    y = np.sqrt(x)
    return y != y, np.sum(y == y), np.max(y)


# dfc: int_div_syms(A: float64[N, M])
def int_div_syms(A):
    """/ // % of size symbols, negative numerators."""
    n, m = A.shape
    return n / m, m / n, -n // m, -n % m, (n - 10) // 3


# dfc: neg_zero(x: float64[N])
def neg_zero(x):
    """Negative zeros in products, modulo and minimum."""
    return -0.0 * x, (x * 0.0) % -1.0, np.minimum(-0.0, x * 0.0)


# dfc: special_consts(x: float64[N], a: int64[N])
def special_consts(x, a):
    """Denormal, NaN, infinite and negative-zero constants; int64 extremes; no reassociation."""
    p = x * 1e-320 + np.nan * 0.0
    q = np.maximum(x, -np.inf) + (-0.0)
    r = a + 2 ** 62
    s = a - 9223372036854775807
    t = a * 0 + (-9223372036854775807 - 1)
    u = x + 0.1 + 1e16 - 1e16
    v = x * 1.7976931348623157e308 / 1e308
    w = x + np.pi * np.e
    return p, q, r, s, t, u, v, w


# dfc: f32_consts(f: float32[N])
def f32_consts(f):
    """Constants rounded to float32 (0.1, a denormal, 2**24 + 1)."""
    return f + 0.1, f * 1e-40, f - 16777217.0, f * 3.0000001
