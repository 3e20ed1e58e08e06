"""library-expansion refuses BLAS for an int64 product: CBLAS has only
float32/float64 (and complex) matrix products."""
import numpy as np


# dfc: imm(A: int64[N, K], B: int64[K, M])
def imm(A, B):
    return A @ B
