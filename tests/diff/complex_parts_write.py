"""Writes through the parts of complex arrays: z.real[...] = v, z.imag[...]
op= v, z.real = x (the attribute setter), np.real(z)[...] = v, for
complex64 and complex128, over slices, strides, transposes and in loops;
the other part is kept exactly (inf, nan and -0.0 included). Of a real
array, .real is the array itself."""
import numpy as np

# dfc-test: sizes N=7,M=5 | N=1,M=3


# dfc: set_slices(z: complex128[N, M], x: float64[M])
def set_slices(z, x):
    z.real[:] = x
    z.imag[1:] *= 2.0
    z.imag[:, ::2] += x[::2]


# dfc: set_f32(z: complex64[N, M], x: float64[M], y: float32[N, M])
def set_f32(z, x, y):
    z.real[0] = x
    z.imag[1:, 1:] = y[1:, 1:] * 3
    z.real[:, 1] -= 1


# dfc: set_whole(z: complex128[N, M], x: float64[M], w: complex64[N])
def set_whole(z, x, w):
    z.real = x
    z.imag = 0.5
    w.imag = -w.real
    w.real += 1


# dfc: set_strided(z: complex128[N, M], y: float64[N, M])
def set_strided(z, y):
    z.real[::2, ::-1] = y[::2, :]
    z.T.imag[1] = y[:, 0]
    z[1::3].imag[:, :2] /= 4
    np.imag(z)[-1] = 7.0
    np.real(z)[:, -1] += np.imag(z)[:, 0]


# dfc: set_scalars(z: complex64[N], a: float64, k: int64)
def set_scalars(z, a, k):
    z.real[0] = a
    z.imag[-1] = k
    z.real[1:] = True
    z.imag[:] **= 2


# dfc: in_loops(z: complex128[N, M], x: float64[M])
def in_loops(z, x):
    for i in range(z.shape[0]):
        z.real[i] = z.imag[i] * i
        z.imag[i, 1:] -= z.real[i, :-1]
    for j in range(1, z.shape[1]):
        z[:, j].real += z[:, j - 1].real
    return z.sum()


# dfc: overlap(z: complex128[N, M])
def overlap(z):
    z.real[1:] = z.imag[:-1]
    z.imag[:, 1:] = z.real[:, :-1] + z.imag[:, 1:]


# dfc: specials(z: complex128[N], x: float64[N])
def specials(z, x):
    """inf, nan and -0.0 parts survive a write of the other part."""
    z.imag[:] = np.inf
    z.real[:] = x
    z.imag[0] = np.nan
    z.real[-1] = -np.inf
    z.imag[1:] *= -0.0
    return z.real.copy(), z.imag.copy(), np.arctan2(z.imag, -1.0), np.isnan(z)


# dfc: specials64(z: complex64[N], x: float32[N])
def specials64(z, x):
    z.real[:] = np.nan
    z.imag[:] = x
    z.real[::2] = -np.inf
    z.imag[-1] = -0.0
    return z.real.copy(), z.imag.copy(), np.arctan2(z.imag, -1.0), np.isinf(z)


# dfc: real_arrays(x: float64[N], y: float32[N], n: int64[N])
def real_arrays(x, y, n):
    """x.real is x itself for real arrays."""
    x.real[:] = 5.0
    x.real[1:] += y[1:]
    y.real = x
    n.real[:] = 2.5
    n.real += 3
    return np.real(x)[0] + x.imag.sum()


# dfc: indirect(z: complex128[N], idx: int64[M], x: float64[N])
def indirect(z, idx, x):
    n = z.shape[0]
    z.real[idx % n] = 3.0
    z.imag[idx % n] += x[idx % n]
    z.imag[x > 1.0] = -1.0
    z.real[x < 1.0] += 10.0


# dfc: fresh(x: float64[N], y: float64[N])
def fresh(x, y):
    w = np.zeros(x.shape[0], np.complex64)
    w.real = x
    w.imag[::2] = y[::2]
    v = x * (1 + 0j)
    v.imag += y
    return w, v


# dfc: from_parts(a: float64, k: int64, x: float32[N])
def from_parts(a, k, x):
    """complex(re, im) of real scalars builds the number from its parts."""
    c = complex(a, k)
    d = complex(np.inf, x[0])
    e = complex(-0.0, np.nan)
    return c * 2, d.real, d.imag, e.real, e.imag, np.arctan2(e.real, -1.0)


def set_part(w, v, k):
    if k > 2:
        w.real[:] = v
    else:
        w.imag[:] -= v


# dfc: in_helper(z: complex128[N], x: float64[N], k: int64)
def in_helper(z, x, k):
    set_part(z, x, k)
    set_part(z[::2], x[::2], 5 - k)
    return np.abs(z).sum()
