"""matmul-scaling refuses integer products: BLAS scales float32 and
float64 only."""
import numpy as np


# dfc: kern(C: int64[N, M], A: int64[N, K], B: int64[K, M])
def kern(C, A, B):
    C += A @ B
