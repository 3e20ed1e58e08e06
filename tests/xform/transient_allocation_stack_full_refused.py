"""transient-allocation keeps at most 64 KiB of stack arrays per kernel:
a second array of 40000 bytes does not fit next to the first."""
import numpy as np


# dfc: kern(x: float64[5000])
def kern(x):
    a = 2.0 * x
    b = 3.0 * x
    return a + b
