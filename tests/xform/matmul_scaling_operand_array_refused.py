"""matmul-scaling refuses to fold an operand scaled by an array (v
broadcast along the rows is no scalar factor)."""
import numpy as np


# dfc: kern(v: float64[K], A: float64[N, K], x: float64[K])
def kern(v, A, x):
    return (v * A) @ x
