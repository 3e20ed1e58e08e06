"""Complex arithmetic with NumPy 1.24's semantics: complex64/complex128
arrays and scalars, imaginary literals, promotion (value-based casting of
Python and 0-d scalars), + - * / ** and the comparisons."""
import numpy as np

# dfc-test: sizes N=7 | N=1


# dfc: axpy(a: complex128, x: complex128[N], y: complex128[N])
def axpy(a, x, y):
    return a * x + y


# dfc: arith(x: complex128[N], y: complex128[N])
def arith(x, y):
    return x + y, x - y, x * y, x / y, -x


# dfc: arith64(x: complex64[N], y: complex64[N])
def arith64(x, y):
    return x * y - x / y + x


# dfc: literals(x: complex128[N])
def literals(x):
    return x * 2j + (1 + 2j) - 3.5j * x


# dfc: literal_scalar()
def literal_scalar():
    return (1 + 2j) * (3 - 1j)


# dfc: promote_f32(x: float32[N])
def promote_f32(x):
    """float32 array * 1j is complex64 (value-based casting)."""
    return x * 1j


# dfc: promote_f64(x: float64[N])
def promote_f64(x):
    return x * 1j + 1


# dfc: promote_int(x: int64[N])
def promote_int(x):
    """int64 array * 1j is complex128."""
    return x * 1j


# dfc: promote_small_int(x: int16[N], b: bool[N])
def promote_small_int(x, b):
    """Integer and bool arrays with a complex scalar are complex128: value-based
    casting only applies to a scalar of the array's kind or lower."""
    return x * 1j, b + 1j


# dfc: promote_param(x: float32[N], c: complex128)
def promote_param(x, c):
    """A complex scalar parameter with a float32 array is complex64."""
    return x * c


# dfc: promote_big_literal(x: float32[N], z: complex64[N])
def promote_big_literal(x, z):
    """A literal too large for float32 makes complex128."""
    return x * 1e300j, z + 1e39, z * 1e39j


# dfc: c64_with_c128(x: complex64[N], y: complex128[N], c: complex128)
def c64_with_c128(x, y, c):
    return x + y, x * c, x + 1j


# dfc: mixed_float(z: complex128[N], x: float64[N], k: int64[N])
def mixed_float(z, x, k):
    return z * x, z / x, z + k, x / z


# dfc: powers(z: complex128[N], w: complex128[N])
def powers(z, w):
    return z ** 2, z ** 3, z ** -2, z ** 0.5, z ** w, z ** 7, np.power(z, 2.5)


# dfc: powers64(z: complex64[N])
def powers64(z):
    return z ** 2, z ** 3, z ** 1.5


# dfc: compare(x: complex128[N], y: complex128[N])
def compare(x, y):
    x[0] = y[0]
    return x == y, x != y, x < y, x <= y, x > y, x >= y


# dfc: compare_lex(x: float64[N], y: float64[N])
def compare_lex(x, y):
    """Equal real parts: the imaginary parts decide."""
    a = x + 1j * y
    b = x + 1j * x
    return a < b, a <= b, a > b, a >= b, np.maximum(a, b), np.minimum(a, b)


# dfc: scalar_ops(c: complex128, d: complex128, x: float64)
def scalar_ops(c, d, x):
    return c * d, c / x, d * 2, c ** 2, c - d, -c


# dfc: inplace(z: complex128[N], w: complex64[N])
def inplace(z, w):
    z *= 1 + 1j
    z += w
    w /= 2j
    z[1:] -= z[:-1]


# dfc: where_select(z: complex128[N], w: complex128[N])
def where_select(z, w):
    return np.where(z.real > w.real, z, w), np.where(z.imag > 1.0, z, 0)


# dfc: loop_acc(z: complex128[N])
def loop_acc(z):
    acc = 0j
    p = 1 + 0j
    for i in range(z.shape[0]):
        acc = acc + z[i] * z[i]
        p = p * z[i]
    return acc, p


# dfc: returns_scalar(z: complex64[N])
def returns_scalar(z):
    return z[0] * 2
