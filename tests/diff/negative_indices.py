"""Negative indices and slice bounds that are not constants wrap around the
dimension as in NumPy: -i - 1 with i a parameter, -k with k a loop
variable, a[i - 1] at i = 0 (the periodic neighbour)."""
import numpy as np

# dfc-test: sizes N=7 | N=3
# dfc-test: args i=2


# dfc: neg_param_index(a: float64[N], i: int64)
def neg_param_index(a, i):
    """Returns a[N - i - 1], the (i+1)-th element from the end."""
    return a[-i - 1]


# dfc: neg_loop_index(x: float64[N])
def neg_loop_index(x):
    """x reversed, element by element: y[k - 1] = x[-k]."""
    y = np.zeros_like(x)
    for k in range(1, x.shape[0] + 1):
        y[k - 1] = x[-k]
    return y


# dfc: neg_loop_slice(x: float64[N])
def neg_loop_slice(x):
    """Sum over k of sum(x[:-k]) (x[:-k] has N - k elements)."""
    s = 0.0
    for k in range(1, x.shape[0]):
        s += np.sum(x[:-k])
    return s


# dfc: wrap_loop_index(a: float64[N])
def wrap_loop_index(a):
    """Periodic left-neighbour differences: a[i - 1] is a[-1] at i = 0."""
    d = np.empty_like(a)
    for i in range(a.shape[0]):
        d[i] = a[i] - a[i - 1]
    return d
