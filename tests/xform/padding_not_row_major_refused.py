"""padding refuses an array that is not row-major: here one that
array-layout made column-major."""
import numpy as np


# dfc: kern(A: float64[N, M])
def kern(A):
    T = 2.0 * A
    return T + 1.0
