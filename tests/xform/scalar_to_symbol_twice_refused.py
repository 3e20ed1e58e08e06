"""scalar-to-symbol refuses a scalar written twice: s = 0 and s = i + 1
both write s, so no single value is s's."""
import numpy as np


# dfc: kern(A: float64[N], B: float64[N], n: int64)
def kern(A, B, n):
    for i in range(n):
        s = 0
        s = i + 1
        if s > 2:
            B[i] = A[s] + 1.0
