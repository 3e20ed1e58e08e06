"""NumPy functions of complex arrays: parts (np.real, .imag, np.conj...),
np.abs and np.angle, the math functions, predicates, reductions (sum, prod,
mean, lexicographic max/min), matrix products, creation and casts."""
import numpy as np

# dfc-test: sizes N=6,M=5 | N=1,M=2
# dfc-test: range -1.5,1.5


# dfc: parts(z: complex128[N], w: complex64[N])
def parts(z, w):
    return (np.real(z), np.imag(z), np.conj(z), np.conjugate(w), z.real, w.imag,
            z.conj(), w.conjugate())


# dfc: parts_of_reals(x: float64[N], k: int32[N])
def parts_of_reals(x, k):
    return np.real(x), np.imag(x), np.conj(k), x.real, k.imag, np.angle(x), np.angle(k)


# dfc: magnitudes(z: complex128[N], w: complex64[N])
def magnitudes(z, w):
    return np.abs(z), abs(w), np.absolute(z), np.angle(z), np.angle(w)


# dfc: math128(z: complex128[N])
def math128(z):
    return (np.sqrt(z), np.exp(z), np.log(z), np.sin(z), np.cos(z), np.tan(z),
            np.sinh(z), np.cosh(z), np.tanh(z))


# dfc: math64(w: complex64[N])
def math64(w):
    return np.sqrt(w), np.exp(w), np.log(w), np.sin(w), np.tanh(w)


# dfc: inverse_trig(z: complex128[N])
def inverse_trig(z):
    return (np.arcsin(z), np.arccos(z), np.arctan(z), np.arcsinh(z), np.arccosh(z),
            np.arctanh(z))


# dfc: predicates(z: complex128[N], x: float64[N])
def predicates(z, x):
    y = z * 1.0
    y[0] = x[0] / 0.0 + 1j
    y[-1] = complex(np.nan)
    return np.isnan(y), np.isinf(y), np.isfinite(y)


# dfc: reductions(z: complex128[N, M], w: complex64[N])
def reductions(z, w):
    return (np.sum(z), np.sum(z, axis=0), z.sum(axis=1), np.prod(w), np.mean(z),
            np.mean(z, axis=1), w.mean(), np.sum(w))


# dfc: extremes(z: complex128[N, M], x: float64[N])
def extremes(z, x):
    """Lexicographic order: the imaginary parts break ties of the real parts."""
    y = x + 1j * x[::-1]
    y[0] = x[0] + 0.25j
    return np.max(z), np.min(z), z.max(axis=0), np.amin(z, axis=1), np.max(y), y.min()


# dfc: reduce_loop(z: complex128[N])
def reduce_loop(z):
    s = 0j
    for i in range(z.shape[0]):
        s += z[i]
    return s


# dfc: matmul(A: complex128[N, M], B: complex128[M, N], x: complex128[M], y: complex128[M])
def matmul(A, B, x, y):
    return A @ B, A @ x, x @ B, np.dot(x, y), np.vdot(x, y), A.dot(x)


# dfc: matmul_mixed(A: complex64[N, M], B: float32[M, N], x: float64[M])
def matmul_mixed(A, B, x):
    return A @ B, A @ x


# dfc: creation(x: float64[N], k: int64[N])
def creation(x, k):
    a = np.zeros(x.shape[0], dtype=np.complex128)
    a[1:] = x[1:] + 2j
    b = np.ones((2, 3), dtype=np.complex64)
    c = np.full(x.shape[0], 1 - 1j)
    d = np.zeros_like(x, dtype=complex)
    d += 1j * k
    return a, b, c, d, x.astype(np.complex64), np.complex128(x), k.astype(np.complex128)


# dfc: casts(z: complex128[N], w: complex64[N])
def casts(z, w):
    return z.astype(np.complex64), w.astype(np.complex128), z != 0, np.logical_not(w)


# dfc: scalar_parts(c: complex128, x: float64[N])
def scalar_parts(c, x):
    return c.real * x + c.imag, abs(c), np.conj(c) * x, complex(x[0])


# dfc: cumulative(z: complex128[N])
def cumulative(z):
    return np.cumsum(z), np.cumprod(z)


# dfc: norm(z: complex128[N])
def norm(z):
    return np.linalg.norm(z)


# dfc: return_scalar(z: complex64[N])
def return_scalar(z):
    return z[-1], np.sum(z * z)


# dfc: discard(z: complex128[N], x: float64[N])
def discard(z, x):
    """Casts to real dtypes drop the imaginary part (with a ComplexWarning)."""
    x[:] = z
    return z.astype(np.float32), np.float64(z), z.astype(np.int64), z.astype(bool)


# dfc: products(x: complex128[N], y: complex64[M], A: complex128[N, M])
def products(x, y, A):
    return np.outer(x, y), np.einsum("ij,j->i", A, y), np.einsum("ij->", A), np.einsum("i,i", x, x)
