"""array-layout refuses an order that is not a permutation of the
dimensions."""
import numpy as np


# dfc: kern(A: float64[N, M])
def kern(A):
    T = 2.0 * A
    return T + 1.0
