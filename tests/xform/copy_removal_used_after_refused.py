"""redundant-copy-removal refuses case (a) when the source is used after
the copy: C is read again after `y[:] = C`, so y cannot take its place
(and y, an argument, cannot disappear: case (b) does not apply)."""
import numpy as np


# dfc: kern(A: float64[N], B: float64[N], y: float64[N])
def kern(A, B, y):
    C = A + B
    y[:] = C
    return C * 2.0
