"""matmul-scaling refuses to fold a scale whose dtype is not the
operand's (a float64 factor on a float32 array converts)."""
import numpy as np


# dfc: kern(alpha: float64, A: float32[N, K], x: float32[K])
def kern(alpha, A, x):
    return (alpha * A) @ x
