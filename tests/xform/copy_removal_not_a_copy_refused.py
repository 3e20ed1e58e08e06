"""redundant-copy-removal refuses a map that computes rather than copies."""
import numpy as np


# dfc: kern(A: float64[N], B: float64[N])
def kern(A, B):
    C = A + B
    return C
