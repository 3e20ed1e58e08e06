"""Slice bounds past the ends are clamped as NumPy does (a[:100] on a short
array, the empty a[-1:1]); slices whose clamped lengths agree for every
size broadcast together (halves, even/odd entries, lags)."""
import numpy as np

# dfc-test: sizes N=9 | N=4
# dfc-test: args k=2


# dfc: slice_bound_clamp(a: float64[N])
def slice_bound_clamp(a):
    """The first (up to) 100 elements, doubled."""
    return a[:100] * 2.0


# dfc: empty_slice(a: float64[N])
def empty_slice(a):
    """An empty slice (stop before start) plus the sum of a."""
    return a[-1:1] + 1.0, np.sum(a)


# dfc: even_odd(a: float64[N])
def even_odd(a):
    """Even-indexed entries times the first half."""
    return a[::2] * a[:(a.shape[0] + 1) // 2]


# dfc: halves(x: float64[N])
def halves(x):
    """First half plus second half (h = N // 2)."""
    h = x.shape[0] // 2
    return x[:h] + x[h:2 * h]


# dfc: lagged(x: float64[N], k: int64)
def lagged(x, k):
    """Differences at lag k."""
    return x[k:] - x[:x.shape[0] - k]


# dfc: strided_shift(F: float64[N, N])
def strided_shift(F):
    """Even rows but the last, plus the odd interior rows."""
    C = F[::2, :] * 0.5
    C[:-1, :] += 0.25 * F[1:-1:2, :]
    return C
