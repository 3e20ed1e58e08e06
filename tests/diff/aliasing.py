"""Aliasing subtleties: scalars read before a write keep the old value,
views see later writes, parameters rebound to new arrays stop aliasing the
argument, names first bound inside loops."""
import numpy as np

# dfc-test: sizes N=6 | N=3
# dfc-test: args flag=True


# dfc: scalar_snapshot(x: float64[N])
def scalar_snapshot(x):
    """A scalar read from an array is a value, not a view."""
    s = x[0]
    x[0] = 5.0
    t = x[1]
    x[1] += 1.0
    return s, t


# dfc: view_sees_write(x: float64[N])
def view_sees_write(x):
    """A named view sees writes made through the base and other views."""
    y = x[1:3]
    x[:] = 0.0
    z = x[::2]
    z[0] = 7.0
    return y.copy(), x[0]


# dfc: rebind_param_then_write(x: float64[N])
def rebind_param_then_write(x):
    """x = x * 2 detaches x from the argument; later writes stay local."""
    x = x * 2.0
    x[0] = 5.0
    x += 1.0
    return x


# dfc: param_write_then_rebind(x: float64[N])
def param_write_then_rebind(x):
    """A write to the argument, then a rebinding: only the first reaches it."""
    x[0] = 5.0
    x = x * 2.0
    x[1] = -1.0
    return x


# dfc: loop_defined(x: float64[N])
def loop_defined(x):
    """A name first bound inside a loop, used after it."""
    for i in range(x.shape[0]):
        last = x[i] * 2.0
    return last


# dfc: view_in_loop(x: float64[N])
def view_in_loop(x):
    """A view re-created in every iteration, written through."""
    y = x.copy()
    for i in range(3):
        v = y[1:]
        v[:] = v * 0.5
    return y


# dfc: snapshot_in_loop(x: float64[N])
def snapshot_in_loop(x):
    """An element saved before being overwritten, in a loop."""
    s = 0.0
    for i in range(x.shape[0]):
        old = x[i]
        x[i] = x[i] * 2.0
        s += old
    return s


# dfc: copy_vs_view(A: float64[N, N])
def copy_vs_view(A):
    """A row view and a row copy taken before the row is overwritten."""
    r = A[0, :]
    c = A[0, :].copy()
    A[0, :] = -1.0
    return r + c


# dfc: prev_cur(x: float64[N])
def prev_cur(x):
    """prev = cur; cur = f(cur): prev keeps the previous iterate."""
    cur = x.copy()
    diff = 0.0
    for k in range(4):
        prev = cur
        cur = 0.5 * (cur + 1.0 / cur)
        diff = np.max(np.abs(cur - prev))
    return cur, prev, diff


# dfc: alias_arg_rebind(a: float64[N])
def alias_arg_rebind(a):
    """b aliases the argument; rebinding a leaves b (and the argument) alone."""
    b = a
    a = a * 2.0
    b[0] = 1.0
    return a, b


# dfc: alias_then_inplace(a: float64[N])
def alias_then_inplace(a):
    """In-place updates through either name reach the one array."""
    c = a * 1.0
    b = c
    c += 1.0
    b *= 2.0
    return c, b


# dfc: alias_view_sees(y: float64[N])
def alias_view_sees(y):
    """An alias and a view of it see later writes through the original name."""
    x = y
    y[:] = 3.0
    z = x[1:]
    y[1] = -1.0
    return x.copy(), z.copy()


# dfc: alias_chain(x: float64[N])
def alias_chain(x):
    """Three names for one array, two of them rebound."""
    a = x + 0.0
    b = a
    c = b
    a = a + 1.0
    b = b + 2.0
    return a, b, c


# dfc: alias_loop_scalar(x: float64[N])
def alias_loop_scalar(x):
    """Scalar t = s; s = s + x[i] in a loop."""
    s = 0.0
    t = 0.0
    for i in range(x.shape[0]):
        t = s
        s = s + x[i]
    return s, t


# dfc: alias_in_branch(x: float64[N], flag: bool)
def alias_in_branch(x, flag):
    """An alias made on one branch only (the other makes a new array)."""
    a = x * 1.0
    if flag:
        b = a
    else:
        b = a * 3.0
    a = a + 10.0
    return a, b


# dfc: alias_then_rebind(x: float64[N])
def alias_then_rebind(x):
    """b = a, then a rebound to a new array: b keeps the first array."""
    a = x + 1.0
    b = a
    a = a * 2.0
    return b


# dfc: augassign_view_name(A: float64[N, N])
def augassign_view_name(A):
    """v += 1.0 on a named view updates A's first row in place."""
    v = A[0, :]
    v += 1.0


# dfc: augassign_alias(a: float64[N])
def augassign_alias(a):
    """b *= 2.0 on an alias doubles the argument."""
    b = a
    b *= 2.0
