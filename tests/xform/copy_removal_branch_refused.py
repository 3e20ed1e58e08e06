"""redundant-copy-removal refuses case (a) when the copy runs in a branch
that the computation of its source is outside of: writing C's values into
y directly would change y when the branch is not taken."""
import numpy as np


# dfc: kern(A: float64[N], B: float64[N], y: float64[N], k: int64)
def kern(A, B, y, k):
    C = A + B
    if k > 2:
        y[:] = C
