"""redundant-copy-removal refuses a copy that converts its values:
astype(np.float32) is not a copy of x."""
import numpy as np


# dfc: kern(x: float64[N])
def kern(x):
    z = x.astype(np.float32)
    return z + np.float32(1.0)
