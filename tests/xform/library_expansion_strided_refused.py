"""library-expansion refuses BLAS when a 2-D operand is strided along its
rows (A[:, ::2]): BLAS needs rows of unit stride."""
import numpy as np


# dfc: smm(A: float64[N, K], B: float64[K, M])
def smm(A, B):
    return A[:, ::2] @ B[::2, :]
