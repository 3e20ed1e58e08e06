"""Conditional expressions evaluate only the chosen branch, as Python does:
a branch that would read outside an array (or run a reduction) is computed
under an if, never speculatively (regression: x[i + 3] was read for every
i before the test chose the branch)."""
import numpy as np

# dfc-test: sizes N=4 | N=9
# dfc-test: range k=0,3


# dfc: guarded(x: float64[N], k: int64)
def guarded(x, k):
    n = x.shape[0]
    g = 0.0
    for i in range(-3, 3):
        g += i * x[i + 3] if n > 5 else 0.0
    far = x[k * 100000000] if k == 0 else -1.0
    return g, far


# dfc: branch_states(x: float64[N], y: float64[N], k: int64)
def branch_states(x, y, k):
    s = np.sum(x * y) if k > 1 else np.max(x)
    t = (x + 1.0) if k == 2 else y
    u = x[0] if k > 0 else 7
    return s, t * 2.0, u


# dfc: elementwise_where(x: float64[N])
def elementwise_where(x):
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        v = x[i]
        out[i] = v if v > 0.5 else -2.0 * v
    return out
