"""transient-allocation refuses to put an array of symbolic size on the
stack."""
import numpy as np


# dfc: kern(x: float64[N])
def kern(x):
    z = np.zeros(x.shape[0])
    return z + x
