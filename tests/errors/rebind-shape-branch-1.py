import numpy as np


# dfc: k(a: float64[N], flag: int64)
def k(a, flag):
    if flag > 0:
        x = a * 2.0
    else:
        x = a[1:] * 2.0
    return x
