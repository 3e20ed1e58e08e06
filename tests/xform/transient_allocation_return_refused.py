"""transient-allocation refuses a return value: the caller allocates it."""
import numpy as np


# dfc: kern(x: float64[16])
def kern(x):
    return 2.0 * x
