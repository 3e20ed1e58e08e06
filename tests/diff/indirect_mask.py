"""Boolean masks: masked assignment and reductions of masked selections."""
import numpy as np

# dfc-test: sizes N=9,M=5 | N=1,M=3
# dfc-test: range -1,1


# dfc: clip_neg(a: float64[N, M], t: float64)
def clip_neg(a, t):
    a[a > t] = 0.0


# dfc: bump(a: int32[N], m: bool[N])
def bump(a, m):
    a[m] += 1
    a[~m] = a[~m] * 2


# dfc: copy_masked(a: float64[N], b: float64[N])
def copy_masked(a, b):
    m = b > 0
    a[m] = b[m] * 3.0


# dfc: masked_sums(x: float64[N, M])
def masked_sums(x):
    return np.sum(x[x > 0]), x[x < 0].sum(), np.mean(x[x > -2.0])


# dfc: masked_extremes(x: float32[N], y: int64[N])
def masked_extremes(x, y):
    return np.max(x[x > -2.0]), y[x > -2.0].min(), np.any(x[y > 0] > 0.5), np.prod(y[x > 0.5])
