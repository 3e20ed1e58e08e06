"""Math functions and powers in loops that gcc vectorizes (glibc's libmvec
variants, dfc_powi multiplications, NumPy's sqrt fast path of `** 0.5`):
float64 and float32, 1-D and 2-D maps (collapse(2) for few rows, the rows
in parallel and the inner loop vectorized for many), and special values
(+-inf, NaN, -0.0, huge and overflowing arguments) spread over the
vector lanes, the loop tails included."""
import numpy as np

# dfc-test: sizes N=203,M=19 | N=7,M=3 | N=9,M=1
# dfc-test: range x=-3,3
# dfc-test: range y=-3,3


def specials(x):
    """x with special values at every fourth of eight positions."""
    s = x.copy()
    s[0::8] = np.inf
    s[1::8] = -np.inf
    s[2::8] = np.nan
    s[3::8] = -0.0
    s[4::8] = 1e300
    s[5::8] = -1e300
    s[6::8] = 710.0
    return s


# dfc: exp_log(x: float64[N])
def exp_log(x):
    """exp, log and their relatives, with specials."""
    s = specials(x)
    a = np.exp(s)
    b = np.log(s)
    c = np.expm1(s) + np.log1p(s)
    d = np.exp2(s) * np.log2(s)
    e = np.log10(s)
    f = np.log(np.abs(x) + 0.001) + np.exp(x * 300.0)
    return a, b, c, d, e, f


# dfc: trig(x: float64[N])
def trig(x):
    """Circular and hyperbolic functions and their inverses, with specials."""
    s = specials(x)
    a = np.sin(s) + np.cos(s)
    b = np.tan(s)
    c = np.tanh(s) + np.sinh(s) + np.cosh(s)
    d = np.arcsin(x / 3.0) + np.arccos(x / 3.0) + np.arctan(s)
    e = np.arcsinh(s) + np.arccosh(np.abs(s) + 1.0) + np.arctanh(x / 3.5)
    f = np.sin(x * 1e6) + np.cos(x * 1e15)
    return a, b, c, d, e, f


# dfc: two_args(x: float64[N], y: float64[N])
def two_args(x, y):
    """pow, hypot and arctan2 of arrays, with specials in either operand."""
    s = specials(x)
    a = np.power(np.abs(s), y)
    b = np.power(s, np.floor(y))
    c = np.hypot(s, y) + np.arctan2(s, y)
    d = np.arctan2(y, s)
    e = np.cbrt(s)
    return a, b, c, d, e


# dfc: powers(x: float64[N])
def powers(x):
    """Constant powers: multiplications, reciprocal, sqrt and pow."""
    s = specials(x)
    a = s ** 2 + s ** 3 + x ** 6
    b = s ** -1
    c = x ** -2 + x ** -3
    d = s ** 0.5
    e = np.power(s, 0.5)
    f = x ** 16 + x ** 17 + x ** 1.5
    g = s ** 0 + s ** 1
    h = s ** 2.0 + s ** 3.0
    return a, b, c, d, e, f, g, h


# dfc: powers_tiny(x: float64[N])
def powers_tiny(x):
    """Powers whose intermediate products overflow or underflow."""
    big = x * 1e100
    tiny = x * 1e-100
    return big ** 3, tiny ** 3, big ** -3, tiny ** -3, (x * 1e-155) ** -2


# dfc: scalar_powers(x: float64[N], a: float64)
def scalar_powers(x, a):
    """0-d values take pow() even for 0.5 (no fast path in NumPy)."""
    t = np.sum(x) * a
    return t ** 0.5, t ** 3, (-t) ** 0.5, x * (t ** -1)


# dfc: f32_funcs(x: float32[N, M])
def f32_funcs(x):
    """float32 variants (expf, logf, sinf...) stay float32."""
    a = np.exp(x) + np.log(np.abs(x) + 1.0)
    b = np.sin(x) * np.cos(x) + np.tanh(x)
    c = x ** 3 + x ** -1
    d = x ** 0.5
    e = np.power(np.abs(x), x) + np.arctan2(x, 0.5)
    return a, b, c, d, e


# dfc: f32_specials(x: float32[N])
def f32_specials(x):
    """float32 functions of special values."""
    s = specials(x)
    return np.exp(s), np.log(s), np.sin(s), np.tanh(s), s ** 3, s ** 0.5


# dfc: rows(x: float64[N, M], y: float64[N, M])
def rows(x, y):
    """2-D maps: GELU, softplus and a row softmax over the inner axis."""
    gelu = 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x ** 3)))
    soft = np.log(1.0 + np.exp(y))
    e = np.exp(x - np.max(x, axis=1, keepdims=True))
    return gelu, soft, e / np.sum(e, axis=1, keepdims=True)


# dfc: strided(x: float64[N, M])
def strided(x):
    """Maps over a transposed and a sliced view."""
    t = x.T
    return np.exp(t) * np.sin(t), np.log(np.abs(x[:, ::2]) + 1.0) ** 3
