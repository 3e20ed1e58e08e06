"""NumPy functions beyond the first subset: arange, linspace, where, clip,
any/all, astype, dtype conversions and the math module."""
import math

import numpy as np

# dfc-test: sizes N=7,M=5 | N=16,M=3


# dfc: ramp(x: float64[N])
def ramp(x):
    """Index-dependent weights from np.arange, broadcast along rows."""
    i = np.arange(x.shape[0])
    w = np.arange(1, 2 * x.shape[0] + 1, 2)
    back = np.arange(x.shape[0], 0, -1)
    return x * i + w, back * 1.0, np.arange(0.5, 3.0, 0.25)


# dfc: grid(A: float64[N, M])
def grid(A):
    """Column and row coordinates broadcast against a matrix."""
    cols = np.arange(A.shape[1])
    return A + cols, A * np.linspace(0.0, 1.0, A.shape[1]), np.linspace(-1.0, 2.0, 7)


# dfc: select(x: float64[N], t: float64)
def select(x, t):
    """where / clip / any / all."""
    y = np.where(x > t, x, -x)
    z = np.clip(x, 0.75, 1.25)
    return y, z, np.any(x > 1.4), np.all(x > 0.4), (x > t).any(), (x < t).all()


# dfc: convert(x: float64[N], k: int64[N])
def convert(x, k):
    """astype and scalar dtype conversions."""
    a = x.astype(np.float32) * 2
    b = (x * 10.0).astype(np.int64) // 3
    c = k.astype(float) / 4
    s = np.float32(np.sum(x)) + np.int64(3)
    return a, b, c, s


# dfc: mathmod(x: float64[N])
def mathmod(x):
    """The math module's scalar functions and constants."""
    s = 0.0
    for i in range(x.shape[0]):
        s += math.sqrt(x[i]) * math.exp(-x[i]) + math.pi
    return s
