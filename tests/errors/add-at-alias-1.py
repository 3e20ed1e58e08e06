import numpy as np


# dfc: k(a: float64[N], idx: int64[M])
def k(a, idx):
    b = a
    for i in range(3):
        np.add.at(a, idx, 1.0)
        b = a * 2
    return b
