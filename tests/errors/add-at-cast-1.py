import numpy as np


# dfc: k(a: int64[N], idx: int64[M], w: float64[M])
def k(a, idx, w):
    np.add.at(a, idx, w)
