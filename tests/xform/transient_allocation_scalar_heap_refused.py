"""transient-allocation refuses to put a 0-d temporary on the heap: a
scalar is always a local variable."""
import numpy as np


# dfc: kern(x: float64[N])
def kern(x):
    s = np.sum(x)
    return 2.0 * s
