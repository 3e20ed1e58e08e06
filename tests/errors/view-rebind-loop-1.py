import numpy as np


# dfc: k(q: float64[2, N], steps: int64)
def k(q, steps):
    r = q[0]
    for t in range(steps):
        q[0] += 1.0
        r = q[1]
    return r.sum()
