import numpy as np


# dfc: k(q: float64[2, N], steps: int64)
def k(q, steps):
    s = 0.0
    for t in range(steps):
        r = q[0]
        q[0] += r
        r = q[1]
        s += r.sum()
    return s + r.sum()
