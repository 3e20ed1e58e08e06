"""array-layout refuses a site that does not use the array: the map or
state named by `at` must read or write it."""
import numpy as np


# dfc: kern(A: float64[N, M])
def kern(A):
    T = 2.0 * A
    U = 3.0 * A
    return T + U
