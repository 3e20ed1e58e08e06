"""range() steps that are not constants: integer parameters (the wrapper
raises ValueError for a zero step, as range() does), loop variables of
either sign, and integers computed at run time, whose sign is known only
when the loop starts (the loop runs up or down accordingly)."""
import numpy as np

# dfc-test: sizes N=13 | N=4 | N=1
# dfc-test: args s=3 lo=2 t=2


# dfc: param_steps(x: float64[N], s: int64, lo: int64)
def param_steps(x, s, lo):
    """Steps s and -s, from a start parameter and from the sizes."""
    n = x.shape[0]
    a = 0.0
    for i in range(0, n, s):
        a = a * 0.5 + x[i]
    b = 0.0
    for i in range(n - 1, -1, -s):
        b = b * 0.5 + x[i] * i
    c = 0.0
    for i in range(lo, n, s + 1):
        c += x[i] - i
    d = 0
    for i in range(n, lo - 1, -s):
        d = d * 3 + i
    return a, b, c, d


# dfc: param_either(x: float64[N], t: int64)
def param_either(x, t):
    """A step t - 3 of unknown sign (t = 2 makes it -1): the loop tests the
    sign when it starts."""
    acc = 0.0
    k = 0
    for i in range(x.shape[0] - 1, -1, t - 3):
        acc = acc * 0.5 + x[i]
        k += 1
    return acc, k


# dfc: loop_var_steps(x: float64[N])
def loop_var_steps(x):
    """Steps taken from an enclosing loop: positive, negative, and of both
    signs (skipping the zero step, for which range() raises)."""
    n = x.shape[0]
    y = np.zeros(n)
    for k in range(1, 4):
        for i in range(k, n, k):
            y[i] += x[i - k] * k
    for k in range(-3, 0):
        for i in range(n - 1, -1, k):
            y[i] = y[i] * 0.5 + x[n - 1 - i]
    total = 0.0
    for k in range(-2, 3):
        if k != 0:
            for i in range(0, n - 1, k):
                total += x[i] * k
            for i in range(n - 1, 0, k):
                total -= x[i] * (k + 10)
    return y, total


# dfc: runtime_steps(x: float64[N], w: int64[N])
def runtime_steps(x, w):
    """Steps read from an array (odd, so never zero) of either sign, with
    bounds read from the array too; the sum needs no bound proof."""
    n = x.shape[0]
    s = 2 * w[0] - 9
    acc = 0.0
    cnt = 0
    for i in range(0, n, s):
        acc += x[i]
        cnt += 1
    for i in range(n - 1, -1, s):
        acc = acc * 0.5 + x[i] * i
        cnt += 1
    lo = w[n // 2] % n
    for i in range(lo, n - lo - 1, 2 * w[n - 1] - 9):
        acc += x[i] + x[n - 1 - i]
        cnt += 10
    return acc, cnt


# dfc: runtime_step_sizes(x: float64[N], w: int64[N])
def runtime_step_sizes(x, w):
    """A run-time step also used as an array size."""
    s = w[0] + 1
    y = np.zeros(s)
    for i in range(0, x.shape[0], s):
        y[i % s] += x[i]
    return np.sum(y * y), y[0]


# dfc: step_in_while(x: float64[N])
def step_in_while(x):
    """A step computed anew in each iteration of a while loop."""
    total = 0.0
    j = 0
    while j < 4:
        st = int(x[j % x.shape[0]] * 4.0) - 3
        if st != 0:
            for i in range(x.shape[0] - 1 if st < 0 else 0, -1 if st < 0 else x.shape[0], st):
                total = total * 0.9 + x[i]
        j += 1
    return total
