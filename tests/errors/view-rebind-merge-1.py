import numpy as np


# dfc: k(q: float64[2, N], flag: int64)
def k(q, flag):
    if flag > 0:
        r = q[0]
    else:
        r = q[1]
    q += 1.0
    return r.sum()
