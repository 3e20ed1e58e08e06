import numpy as np


# dfc: k(a: float64[N], idx: int64[M])
def k(a, idx):
    b = a
    np.add.at(a, idx, 1.0)
    s = b.sum()
    b = a * 2
    return s, b
