"""library-expansion takes impl naive or blas, nothing else."""
import numpy as np


# dfc: mm(A: float64[N, K], B: float64[K, M])
def mm(A, B):
    return A @ B
