"""Maps that -O3 unrolls (unroll-and-jam): stencils over rows whose fused
bodies share subexpressions between consecutive rows, a row-invariant
subexpression (batchnorm's sqrt), float32, integers, three parameters,
an interior region, weights from np.arange, an in-place update.
The sizes give the unrolled loop no, one and several blocks of 8 rows,
with every remainder from 0 to 7 among them, and maps of fewer rows than
8 (or a few blocks) wide enough to fork, whose last rows are shared out
among the threads too."""
import numpy as np

# dfc-test: sizes N=2,M=3,K=1 | N=6,M=40000,K=2 | N=20,M=9000,K=2 | N=3,M=4,K=2 | N=9,M=5,K=3 | N=10,M=7,K=1 | N=11,M=3,K=4 | N=17,M=9,K=2 | N=18,M=6,K=3 | N=25,M=11,K=2 | N=29,M=33,K=5 | N=150,M=67,K=3


# dfc: blur(img: float64[N, M])
def blur(img):
    rows = (img[:, :-2] + img[:, 1:-1] + img[:, 2:]) / 3.0
    return (rows[:-2, :] + rows[1:-1, :] + rows[2:, :]) / 3.0


# dfc: blur32(img: float32[N, M])
def blur32(img):
    rows = (img[:, :-2] + img[:, 1:-1] + img[:, 2:]) / np.float32(3.0)
    return (rows[:-2, :] + rows[1:-1, :] + rows[2:, :]) / np.float32(3.0)


# dfc: blur_int(img: int64[N, M])
def blur_int(img):
    rows = img[:, :-2] * 3 + img[:, 1:-1] * 5 - img[:, 2:]
    return rows[:-2, :] - 2 * rows[1:-1, :] + rows[2:, :] * 7


# dfc: interior(u: float64[N, M])
def interior(u):
    out = np.zeros((u.shape[0], u.shape[1]))
    g = np.sqrt(u[:, :-2] * u[:, 2:]) + u[:, 1:-1]
    out[1:-1, 1:-1] = g[:-2, :] - 2.0 * g[1:-1, :] + g[2:, :]
    return out


# dfc: normalize(x: float64[N, M], v: float64[M], m: float64[M], eps: float64)
def normalize(x, v, m, eps):
    return (x - m[None, :]) / np.sqrt(v[None, :] + eps) * np.exp(m[None, :])


# dfc: normalize_inplace(x: float64[N, M], v: float64[M], eps: float64)
def normalize_inplace(x, v, eps):
    x[:, :] = x / np.sqrt(v[None, :] + eps) + np.log(v[None, :])


# dfc: weighted_rows(x: float64[N, M])
def weighted_rows(x):
    w = np.arange(x.shape[0] - 1)[:, None] * 0.5
    d = np.sqrt(x[:-1, :] * x[1:, :]) * w
    return d[:-1, :] + d[1:, :]


# dfc: lap3(a: float64[N, M, K])
def lap3(a):
    g = np.sqrt(a[:, 1:, :] * a[:, :-1, :])
    return g[1:, :, :] - g[:-1, :, :]
