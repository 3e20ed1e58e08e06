"""np.minimum and np.maximum of floats, NaN-propagating as NumPy's: a
chain of them in a vectorized map (np.clip, a min of a max) uses the
helpers spelled for simd loops (dfc_vminimum/dfc_vmaximum, which gcc
vectorizes in a chain), a lone one and a scalar recurrence the plain ones
(codegen/openmp/expr.c, minimum_float). NaNs and infinities are made
inside the kernels, on either side of each call. tests/wrap/minmax_chains.py
checks which helper each kernel calls."""
import numpy as np

# dfc-test: sizes N=1 | N=7 | N=100 | N=1031 | N=0
# dfc-test: args lo=-0.25 hi=0.75


# dfc: clip_nan(x: float64[N], lo: float64, hi: float64)
def clip_nan(x, lo, hi):
    z = np.where(x > 0.9, np.nan, np.where(x < 0.05, -np.inf, 3.0 * x - 1.0))
    return np.clip(z, lo, hi)


# dfc: min_of_max(x: float64[N], y: float64[N])
def min_of_max(x, y):
    w = np.where(y > 0.8, np.nan, y)
    v = np.where(x < 0.1, np.nan, np.where(x > 0.95, np.inf, x))
    return np.minimum(np.maximum(v, w), 0.5), np.maximum(0.25, np.minimum(w, v))


# dfc: clip32(x: float32[N])
def clip32(x):
    z = np.where(x > np.float32(0.9), np.float32(np.nan), x * np.float32(2.0))
    return np.clip(z, np.float32(0.1), np.float32(1.5))


# dfc: lone_max(x: float64[N], y: float64[N])
def lone_max(x, y):
    return np.sqrt(np.maximum(x - y * y, 0.0))


# dfc: running_max(x: float64[N])
def running_max(x):
    y = np.where(x > 0.97, np.nan, x - 0.5)
    best = -np.inf
    cur = 0.0
    for i in range(y.shape[0]):
        cur = max(y[i], cur + y[i])
        best = max(best, cur)
    return best


# dfc: builtin_order(x: float64[N])
def builtin_order(x):
    """Python's max and min keep the first of equal arguments and take a
    later one only when it compares greater (less): NaN first wins, NaN
    later loses, -0.0 first stays (1 / -0.0 is -inf)."""
    out = np.empty((x.shape[0], 5))
    for i in range(x.shape[0]):
        v = np.nan if x[i] > 0.8 else (-0.0 if x[i] < 0.2 else x[i])
        out[i, 0] = max(v, 0.5)
        out[i, 1] = min(0.5, v)
        out[i, 2] = max(0.5, v)
        out[i, 3] = min(v, 0.5, -1.0)
        out[i, 4] = np.float64(1.0) / max(v, 0.0) if v == 0.0 else max(v, 0.0)
    one = np.float64(1.0)
    return out, one / max(-0.0, 0.0), one / min(0.0, -0.0)
