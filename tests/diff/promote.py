"""NumPy 1.24 type promotion: float32 arrays with Python floats and with
float64 0-d reductions, ints with floats, bool arithmetic."""
import numpy as np

# dfc-test: sizes N=19,M=4 | N=2,M=3
# dfc-test: range a=-20,20
# f32_reduce's m = np.sum(x) is a float32 sum, rounded in float32 in the
# order the threads add their parts (NumPy adds pairwise): it may differ
# by a float32 ulp or two (4 threads under ThreadSanitizer: 1.7e-7
# relative), and b = y * m carries that into a float64 result, which can
# only be compared at float32 precision.
# dfc-test: rtol f32_reduce=1e-6


# dfc: f32_scalar(x: float32[N, M], s: float64)
def f32_scalar(x, s):
    """float32 array op Python float stays float32."""
    a = x * 2.5 + s
    b = x / s - 1
    c = x ** 2
    d = np.sqrt(x) + np.exp(-x)
    return a, b, c, d


# dfc: f32_reduce(x: float32[N, M], y: float64[N, M])
def f32_reduce(x, y):
    """A float32 reduction is a float32 0-d value: float32 stays float32;
    a float64 array with it is float64; x with a float64 reduction stays
    float32 (value-based casting of 0-d values)."""
    m = np.sum(x)
    a = x - m
    b = y * m
    c = x / np.max(y)
    d = x + np.mean(x, axis=0)
    return a, b, c, d, m


# dfc: f32_f64_arrays(x: float32[N, M], y: float64[N, M])
def f32_f64_arrays(x, y):
    """float32 array op float64 array is float64."""
    return x + y, x * y - x, y / (x + 1.0)


# dfc: int_float(a: int64[N, M], x: float64[N, M], b: int32[N, M], z: float32[N, M])
def int_float(a, x, b, z):
    """int64 op float64 -> float64; int32 op float32 -> float64;
    int64 op float32 -> float64; int32 with a Python float -> float64."""
    p = a + x
    q = b * z
    r = a - z
    s = b * 0.5
    t = a + b
    return p, q, r, s, t


# dfc: bools(x: float64[N, M], y: float64[N, M], a: int64[N, M])
def bools(x, y, a):
    """bool arrays: & | ^ ~, comparisons of bools, arithmetic promotes."""
    p = x > 1.0
    q = y < x
    c = p & q
    d = p | ~q
    e = p ^ q
    f = p + a
    g = p * 2.5
    h = (p == q) != c
    k = np.sum(p) + np.sum(q, axis=0)
    return c, d, e, f, g, h, k


# dfc: int_reductions(a: int32[N, M], b: int64[N, M])
def int_reductions(a, b):
    """Sums of int32 are int64; max of int32 stays int32; mean is float64."""
    s = np.sum(a, axis=1)
    m = np.max(a, axis=0)
    mu = np.mean(a)
    t = np.sum(b) + np.min(a)
    p = np.prod(a % 3 + 1, axis=0)
    return s, m, mu, t, p


# dfc: vb_int8(a: int8[N, M])
def vb_int8(a):
    """Value-based casting of literals: int8 * 300 is int16."""
    return a * 300


# dfc: vb_uint8(u: uint8[N, M])
def vb_uint8(u):
    """uint8 + 256 is uint16; uint8 + (-1) is int16."""
    return u + 256, u + (-1)


# dfc: vb_int32(i: int32[N, M])
def vb_int32(i):
    """int32 * 2**40 is int64."""
    return i * 2 ** 40


# dfc: vb_numpy_scalars(u: uint8[N, M], a: int8[N, M])
def vb_numpy_scalars(u, a):
    """A NumPy scalar of literals has its value too: uint8 - np.int16(-2)
    is int16 (dfc used to assume it fit uint8, an assumption that never
    held), uint8 + np.int16(5) stays uint8, int8 * np.uint8(200) is int16;
    so does one computed from literals (np.int32(-7) // 3 is -3), wrapped
    as NumPy wraps it (np.int16(-2) * np.int16(20000) is 25536: dfc used
    to assume the product fit int16, which never held)."""
    return (u - np.int16(-2), u + np.int16(5), a * np.uint8(200),
            u - np.int32(-7) // 3, u + np.int16(2) * 3,
            u - np.int16(-2) * np.int16(20000))


# dfc: vb_numpy_scalar_compare(u: uint8[N, M])
def vb_numpy_scalar_compare(u):
    """A comparison runs in the promoted dtype: uint8 > np.int16(-2) is
    true everywhere (not u > 254), so is np.maximum's pick."""
    return u > np.int16(-2), u == np.int16(-2), np.maximum(u, np.int8(-3)), \
        np.where(u > 3, u, np.int8(-1))
