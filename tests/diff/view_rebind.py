"""Names assigned more than once to views of arrays that the function
updates in place: NumPy's reference semantics, kept by binding the name to
the view itself wherever no loop or branch has to merge different values
of it (the refused cases are tests/errors/view-rebind-*)."""
import numpy as np

# dfc-test: sizes N=8 | N=3
# dfc-test: args steps=4 flag=1
# dfc-test: range idx=0,3


# dfc: loop_view(q0: float64[N], steps: int64)
def loop_view(q0, steps):
    """rho = q[0] at the top of every step and again after the loop, while
    q is updated in place (the shape of euler_1d)."""
    q = np.zeros((2, q0.shape[0]))
    q[0] = q0
    q[1] = 1.0
    for t in range(steps):
        rho = q[0]
        m = rho * q[1]
        q[0] += 0.5 * m
        q[1] -= 0.25 * rho
    rho = q[0]
    return rho * 2.0, q


# dfc: same_view_pinned(q: float64[2, N], steps: int64)
def same_view_pinned(q, steps):
    """Bound before the loop and rebound to the same view inside it."""
    r = q[1]
    acc = 0.0
    for t in range(steps):
        q[1] += 1.0
        acc += r.sum()
        r = q[1]
        q[0] -= r
    return acc, r.copy()


# dfc: straight_line(q: float64[3, N])
def straight_line(q):
    """Rebound to different views in straight-line code: each read sees
    the view's updates."""
    r = q[0]
    q[0] *= 2.0
    s1 = r.sum()
    r = q[2]
    q[2] += r
    s2 = r.sum()
    r = q[1:].sum(axis=0)
    return s1, s2, r


# dfc: add_at_alias(a: float64[N], idx: int64[N])
def add_at_alias(a, idx):
    """b names a itself, then a new array; np.add.at updates a in between."""
    b = a
    np.add.at(a, idx, 1.0)
    s = b.sum()
    b = a * 2
    return s, b


# dfc: in_branch_only(q: float64[2, N], flag: int64)
def in_branch_only(q, flag):
    """Bound to a view in a branch and used in it only."""
    out = 0.0
    if flag > 0:
        r = q[0]
        q[0] += 1.0
        out = r.sum()
        r = q[1]
        q[1] *= 3.0
        out += r.sum()
    return out
