"""scalar-to-symbol refuses a value the symbolic engine cannot hold: the
conditional expression becomes a where(), which is no symbol."""
import numpy as np


# dfc: kern(A: float64[N], B: float64[N], n: int64)
def kern(A, B, n):
    for i in range(n):
        k = i * 2 if n > 2 else i
        if k < n:
            B[i] = A[k]
