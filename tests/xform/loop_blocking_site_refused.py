"""loop-blocking refuses a site that is not a for loop."""
import numpy as np


# dfc: kern(x: float64[N])
def kern(x):
    x *= 2.0
