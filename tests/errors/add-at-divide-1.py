import numpy as np


# dfc: k(a: float64[N], idx: int64[M])
def k(a, idx):
    np.divide.at(a, idx, 2.0)
