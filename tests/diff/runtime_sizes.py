"""Integers computed at run time (read from arrays, or computed by
operations the symbolic engine does not model, such as **) used as loop
bounds, slice bounds and steps and array sizes: dfc assigns them to
symbols where they are computed (CF_ASSIGN from a 0-d container)."""
import numpy as np

# dfc-test: sizes N=9,M=6 | N=14,M=3
# dfc-test: range idx=-4,12 k=1,4 w=0,5


# dfc: knap(w: int64[N], v: float64[N], M: int64)
def knap(w, v, M):
    """0/1 knapsack, the capacity loop bounded by a weight read from w
    (a weight 0 makes the stop -1)."""
    best = np.zeros(M + 1)
    for i in range(w.shape[0]):
        for c in range(M, w[i] - 1, -1):
            best[c] = max(best[c], best[c - w[i]] + v[i])
    return best


# dfc: bounds_from_data(x: float64[N], idx: int64[M])
def bounds_from_data(x, idx):
    """Slices whose start and stop are read from an array, negative and
    out of range ones included (NumPy wraps and clamps them)."""
    out = np.zeros(idx.shape[0])
    for j in range(idx.shape[0]):
        out[j] = np.sum(x[idx[j]:]) + 2.0 * np.sum(x[:idx[j]])
        out[j] += np.sum(x[idx[j] // 2:idx[j] + 3])
    return out


# dfc: int_of_first(x: float64[N], a: float64[N])
def int_of_first(x, a):
    """n = int(...) as an array size, a range bound and a slice stop."""
    n = int(x[0] * 4.0)
    t = np.zeros(n)
    for i in range(n):
        t[i] = a[i % a.shape[0]] * i
    a[:n] += 1.0
    return np.sum(t) + np.sum(a)


# dfc: argmax_bound(x: float64[N])
def argmax_bound(x):
    """k = np.argmax(...) as a slice bound and an arange size."""
    k = np.argmax(x)
    head = x[:k + 1].copy()
    r = np.arange(k) * 2.0
    return np.sum(head) + np.sum(r), x[k:].sum()


# dfc: pow_sizes(y: float64[N], K: int64)
def pow_sizes(y, K):
    """Temporaries whose size 2 ** (i - 1) is computed in a loop."""
    acc = 0.0
    for i in range(1, K + 1):
        m = 2 ** (i - 1)
        xs = (2.0 * np.arange(m) + 1.0) / m
        acc += np.sum(xs * xs) + y[i % y.shape[0]]
    return acc


# dfc: strided(x: float64[N], k: int64)
def strided(x, k):
    """Slice steps given by an integer parameter and by a loop variable."""
    y = x.copy()
    for s in range(1, 4):
        y[s * s::s] += 1.0
    return y[::k].copy(), y[1::k + 1].sum()


# dfc: runtime_negative(x: float64[N], w: int64[M])
def runtime_negative(x, w):
    """A run-time integer that is negative: range() bounds and slice
    stops counting from the end, and an empty arange."""
    d = w[0] - 6
    s = 0.0
    for i in range(d, 3):
        s += x[i]
    e = np.arange(d)
    return s + np.sum(x[:d]) + e.shape[0]


# dfc: while_bound(x: float64[N])
def while_bound(x):
    """A run-time bound computed inside a while loop."""
    total = 0.0
    j = 0
    while j < 3:
        n = int(x[j] * 5.0)
        total += np.sum(x[:n]) + np.zeros(n).shape[0]
        j += 1
    return total
