"""for loops with steps of both signs and symbolic bounds, nested loops,
while loops with data-dependent conditions, break and continue (symbolic
range steps: tests/diff/range_step.py)."""
import numpy as np

# dfc-test: sizes N=13 | N=4
# dfc-test: args s=3 lo=2
# dfc-test: args tol=1e-12 thresh=1.0 rate=0.7 n0=22


# dfc: steps(x: float64[N], lo: int64)
def steps(x, lo):
    """range with every form of start/stop/step, accumulating positions."""
    n = x.shape[0]
    a = 0.0
    for i in range(n):
        a = a + x[i]
    b = 0.0
    for i in range(lo, n):
        b += x[i] * i
    c = 0.0
    for i in range(1, n - 1, 2):
        c += x[i]
    d = 0.0
    for i in range(n - 1, -1, -3):
        d = d * 0.5 + x[i]
    e = 0.0
    for i in range(lo, n, 3):
        e += x[i] - i
    f = 0.0
    for i in range(n - 1, lo, -2):
        f = f * 2.0 + x[i]
    g = 0.0
    for i in range(-3, 3):
        g += i * x[i + 3] if n > 5 else 0.0
    h = 0
    for i in range(n, 0, -1):
        h += i
    for i in range(5, 2):
        h += 1000
    return a, b, c, d, e, f, g, h


# dfc: nested(A: float64[N, N])
def nested(A):
    """Triangular nested loops with dependent bounds and negative steps."""
    n = A.shape[0]
    s = np.zeros(n)
    for i in range(n):
        for j in range(i, n):
            s[i] += A[i, j]
        for j in range(i - 1, -1, -1):
            s[i] -= 0.5 * A[j, i]
    return s


# dfc: newton_sqrt(x: float64[N], tol: float64)
def newton_sqrt(x, tol):
    """Newton iteration per element with a data-dependent while loop."""
    y = np.empty_like(x)
    its = 0
    for i in range(x.shape[0]):
        g = x[i]
        while abs(g * g - x[i]) > tol:
            g = 0.5 * (g + x[i] / g)
            its += 1
        y[i] = g
    return y, its


# dfc: break_continue(x: float64[N], thresh: float64)
def break_continue(x, thresh):
    """Sum of the entries below thresh until the first entry above 1.4."""
    total = 0.0
    count = 0
    for i in range(x.shape[0]):
        if x[i] > 1.4:
            break
        if x[i] >= thresh:
            continue
        total += x[i]
        count += 1
    k = 0
    while True:
        k += 1
        if k > 3 * x.shape[0]:
            break
        if k % 2 == 0:
            continue
        total += 0.001
    return total, count, k


# dfc: collatz(n0: int64)
def collatz(n0):
    """Steps of the Collatz sequence from n0 + 5 (integer while loop)."""
    n = n0 + 5
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


# dfc: geometric(x: float64[N], rate: float64)
def geometric(x, rate):
    """While loop on an array-derived condition that rescales an array."""
    y = x.copy()
    it = 0
    while np.max(np.abs(y)) > 0.01 and it < 1000:
        y = y * rate
        it += 1
    return y, it


# dfc: carried(x: float64[N])
def carried(x):
    """Loop-carried scalars updated on some branches only."""
    best = -1.0
    prev = 0.0
    hits = np.zeros(3)
    for i in range(x.shape[0]):
        if i > 0 and x[i] > prev:
            best = max(best, x[i] - prev)
            hits[0] += 1.0
        elif i > 0:
            hits[1] += 1.0
        else:
            hits[2] += 1.0
        prev = x[i]
    return best, prev, hits


# dfc: fresh_in_loop(A: float64[N, N])
def fresh_in_loop(A):
    """An array created fresh in every iteration, read after the loop."""
    total = np.zeros(A.shape[1])
    for i in range(A.shape[0]):
        row = np.zeros(A.shape[1])
        for j in range(A.shape[1]):
            if A[i, j] > 1.0:
                row[j] = A[i, j]
        total = total + row
        if np.sum(row) > 4.0:
            total = total * 0.5
    return total, row


# dfc: cond_array_rebind(x: float64[N])
def cond_array_rebind(x):
    """An array rebound differently on each branch, with a break."""
    y = x.copy()
    for it in range(5):
        if it % 2 == 0:
            y = y * 2.0
        else:
            y = y - np.mean(y)
        if np.max(y) > 5.0:
            break
    return y
