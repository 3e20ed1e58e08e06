"""NumPy ufuncs called by name, conditional expressions and annotated
assignments."""
import numpy as np

# dfc-test: sizes N=6,M=4 | N=1,M=2
# dfc-test: args k=3
# dfc-test: range x=-3,3
# dfc-test: range y=-3,3


# dfc: ufunc_names(x: float64[N, M], y: float64[N, M], a: int64[N, M])
def ufunc_names(x, y, a):
    """np.add ... np.logical_not, np.matmul, np.amax/np.amin by name."""
    p = np.add(x, y) - np.subtract(x, 1.0) + np.multiply(x, y)
    q = np.divide(x, np.abs(y) + 1.0) + np.true_divide(a, 3)
    r = np.floor_divide(x, 0.7) + np.mod(x, 0.7) + np.remainder(a, -3)
    s = np.negative(x) + np.absolute(y)
    c = np.logical_and(np.less(x, y), np.greater_equal(x, -1.0))
    d = np.logical_or(np.equal(a, 3), np.not_equal(a, 4))
    e = np.logical_not(np.less_equal(x, 0.0)) ^ np.greater(y, 0.0)
    f = np.matmul(x.T, y) + np.amax(x) - np.amin(y, axis=0)
    return p, q, r, s, c, d, e, f


# dfc: cond_expr(x: float64[N, M], k: int64)
def cond_expr(x, k):
    """Conditional expressions on scalars, nested; an annotated assignment."""
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            v = x[i, j]
            out[i, j] = v if v > 0.0 else -2.0 * v
    s: float = 0.0
    for i in range(x.shape[0]):
        s += x[i, 0] if i % 2 == 0 else (x[i, 1] if k > 2 else 0.5)
    m = 1 if k > 3 else 2
    return out, s, m
