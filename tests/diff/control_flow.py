"""Control flow corners: returned views, nested breaks, while conditions on
updated arrays, large steps, integer branches."""
import numpy as np

# dfc-test: sizes N=7 | N=2


# dfc: ret_view_after_write(x: float64[N])
def ret_view_after_write(x):
    """A returned view reflects writes made after it was taken."""
    y = x[1:]
    x[:] = 0.0
    return y


# dfc: nested_break(A: float64[N, N])
def nested_break(A):
    """break leaves only the inner loop; a second break the outer one."""
    c = 0
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            if A[i, j] > 1.2:
                break
            c += 1
        if i == 4:
            break
    return c


# dfc: while_inplace_cond(x: float64[N])
def while_inplace_cond(x):
    """A while condition reading an array updated in place in the body."""
    n = 0
    while x[0] < 10.0:
        x[:] = x * 1.5 + x[-1] * 0.1
        n += 1
    return n


# dfc: big_step(x: float64[N])
def big_step(x):
    """Steps larger than the range, both signs."""
    s = 0.0
    for i in range(1, x.shape[0], 100):
        s += x[i]
    for i in range(x.shape[0] - 1, -1, -50):
        s += x[i] * 2.0
    return s


# dfc: int_cmp_branch(a: int64[N])
def int_cmp_branch(a):
    """Branches on integer elements; a bool from a count."""
    out = np.zeros_like(a)
    for i in range(a.shape[0]):
        if a[i] % 3 == 0 and a[i] != 0:
            out[i] = a[i] // 3
        elif a[i] > 5 or a[i] < 1:
            out[i] = -a[i]
        else:
            out[i] = a[i] * a[i]
    return out, np.sum(a > 4) > 2


# dfc: early_void(x: float64[N])
def early_void(x):
    """A bare return from inside a loop of a kernel that only updates x."""
    for i in range(x.shape[0]):
        if x[i] > 1.3:
            return
        x[i] = -x[i]


# dfc: early_while(x: float64[N])
def early_while(x):
    """A return from an infinite while loop with in-place updates."""
    k = 0
    while True:
        x[:] = x * 1.1
        k += 1
        if np.max(x) > 3.0:
            return k, x[0]
        if k > 50:
            break
    return -1, 0.0


# dfc: early_top(x: float64[N])
def early_top(x):
    """Returns on both paths of a top-level if; the second path writes x."""
    if x[0] > 1.0:
        return np.sum(x)
    x[0] = 100.0
    return np.max(x)
