"""if/elif/else on array-derived scalars, early returns inside loops, tuple
returns of mixed kinds."""
import numpy as np

# dfc-test: sizes N=9 | N=2
# dfc-test: range x=-1,1
# dfc-test: args t=0.3 lim=6.0
# dfc-test: range a=-1,1
# dfc-test: range b=-1,1


# dfc: classify(x: float64[N])
def classify(x):
    """elif chains on reductions and elements."""
    m = np.mean(x)
    if m > 0.2:
        kind = 2
    elif m > -0.2:
        kind = 1
    else:
        kind = 0
    y = np.zeros_like(x)
    for i in range(x.shape[0]):
        if x[i] > 0.5:
            y[i] = 1.0
        elif x[i] < -0.5:
            y[i] = -1.0
        elif x[i] == 0.0:
            y[i] = 100.0
        else:
            y[i] = x[i] * 2.0
    if np.max(x) - np.min(x) < 0.5 or x[0] > x[-1]:
        y = -y
    return kind, y


# dfc: find_first(x: float64[N], t: float64)
def find_first(x, t):
    """Early return from inside a loop; the fall-through return after it."""
    for i in range(x.shape[0]):
        if x[i] > t:
            return i, x[i]
    return -1, 0.0


# dfc: find_in_matrix(A: float64[N, N], lim: float64)
def find_in_matrix(A, lim):
    """Early return from a nested loop with a computed value."""
    acc = 0.0
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            acc += A[i, j]
            if acc > lim:
                return i * A.shape[1] + j, acc
    return -1, acc


# dfc: early_array(x: float64[N])
def early_array(x):
    """Returns one of two arrays depending on a loop-time condition."""
    y = x.copy()
    for k in range(10):
        y = y * 1.5
        if np.sum(np.abs(y)) > 5.0 * x.shape[0]:
            return y, k
    return x, -1


# dfc: sign_branch(a: float64, b: float64)
def sign_branch(a, b):
    """Branches on scalar parameters, nested, with not."""
    if a > 0.0:
        if not b > 0.0:
            r = a - b
        else:
            r = a * b
    elif a < -0.5 and b < 0.0:
        r = -1.0
    else:
        r = 0.0
    return r
