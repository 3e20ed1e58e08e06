"""Names rebound, in straight-line code, to arrays of another shape or
dtype: a Python name is a reference, so the rebinding just makes it name
the new array (the same binding inside a loop or branch that needs one
shape for the name is refused: tests/errors/rebind-shape-*)."""
import numpy as np

# dfc-test: sizes N=9,M=7 | N=4,M=3
# dfc-test: args steps=3 flag=1


def shrink(x):
    return 0.5 * (x[1:] + x[:-1])


# dfc: chain(a: float64[N])
def chain(a):
    """A pipeline of stages, each shorter than the last, all named x."""
    x = shrink(a)
    x = shrink(x)
    x = np.maximum(shrink(x), 0.0)
    return x


# dfc: grows(a: float64[N], b: float64[M])
def grows(a, b):
    """From a vector to an outer product to its row sums, one name."""
    y = a * 2.0
    y = np.outer(y, b)
    s = y.sum()
    y = y.sum(axis=1)
    return y, s


# dfc: old_value_kept(a: float64[N])
def old_value_kept(a):
    """Another name keeps the array the first one named before."""
    x = a + 1.0
    first = x
    x = x[::2] * 3.0
    return first, x


# dfc: dtype_change(a: float64[N], k: int64[N])
def dtype_change(a, k):
    """An integer array, then a float one; an int scalar, then a float."""
    t = k * 2
    t = t / 3.0
    s = 0
    s = s + a.sum()
    return t, s


# dfc: in_loop_body(a: float64[N], steps: int64)
def in_loop_body(a, steps):
    """Both bindings in one loop body: nothing merges the two shapes."""
    out = np.zeros(steps)
    for t in range(steps):
        y = a * (t + 1)
        y = y[1:] - y[:-1]
        out[t] = y.sum()
    return out


# dfc: in_branch(a: float64[N], flag: int64)
def in_branch(a, flag):
    """Both bindings in one branch, used in that branch only."""
    r = 0.0
    if flag > 0:
        z = a * 2.0
        z = z[2:] + z[:-2]
        r = z.sum()
    return r


# dfc: after_loop(a: float64[N], steps: int64)
def after_loop(a, steps):
    """Updated in a loop at one shape, then rebound after it."""
    x = a.copy()
    for t in range(steps):
        x = shrink(np.concatenate((x, x[-1:])))
    x = x[1:] * 2.0
    return x


# dfc: made_in_loop(a: float64[N], steps: int64)
def made_in_loop(a, steps):
    """First bound inside a loop, rebound to another shape after it."""
    acc = np.zeros(a.shape[0])
    for t in range(steps):
        w = a * (t + 1.0)
        acc += w
    w = acc[1:] - a[:-1]
    w = w.sum(keepdims=True)
    return w
