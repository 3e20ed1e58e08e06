"""Kernels that -O2/-O3 fuse with otf-map-fusion (a temporary read at
offsets, recomputed in its reader), checked against NumPy: 2-D blurs of
float64 and float32, a 1-D stencil of a nonlinear temporary, a temporary
with two readers, transposed and negative-offset reads, and a temporary
that must stay (read at nine offsets of an exp)."""
import numpy as np

# dfc-test: sizes N=9,M=3 | N=10,M=9 | N=37,M=23


# dfc: blur(img: float64[N, M])
def blur(img):
    rows = (img[:, :-2] + img[:, 1:-1] + img[:, 2:]) / 3.0
    return (rows[:-2, :] + rows[1:-1, :] + rows[2:, :]) / 3.0


# dfc: blur32(img: float32[N, M])
def blur32(img):
    rows = (img[:, :-2] + img[:, 1:-1] + img[:, 2:]) * np.float32(0.25)
    return rows[:-2, :] - rows[2:, :] * np.float32(2.0)


# dfc: grad(a: float64[N, M])
def grad(a):
    t = np.sqrt(a * a + 1.0)
    return (t[2:, 1:-1] - t[:-2, 1:-1]) + (t[1:-1, 2:] - t[1:-1, :-2])


# dfc: cubic(x: float64[N])
def cubic(x):
    t = x * x * x - x
    return t[2:] - 2.0 * t[1:-1] + t[:-2]


# dfc: centred(X: float64[N, M])
def centred(X):
    mu = np.mean(X, axis=0)
    d = X - mu
    v = np.mean(d * d, axis=0)
    return d / np.sqrt(v + 1.0)


# dfc: shifted_sum(a: float64[N], b: float64[N])
def shifted_sum(a, b):
    d = a * b + 0.5
    s = np.sum(d)
    return d[1:] * s - d[:-1]


# dfc: transposed(a: float64[N, M])
def transposed(a):
    t = a * 3.0 - 1.0
    return t.T[1:, :] + t.T[:-1, :]


# dfc: many_exp(a: float64[N])
def many_exp(a):
    t = np.exp(a * 0.01)
    return (t[:-8] + t[1:-7] + t[2:-6] + t[3:-5] + t[4:-4] + t[5:-3] + t[6:-2]
            + t[7:-1] + t[8:])
