"""array-layout refuses an operand of a matmul expanded with BLAS, which
needs row-major arrays."""
import numpy as np


# dfc: kern(A: float64[N, K], B: float64[K, M])
def kern(A, B):
    T = 2.0 * A
    return T @ B
