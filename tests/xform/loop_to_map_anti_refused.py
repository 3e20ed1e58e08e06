"""loop-to-map refuses a shift to the left in place: iteration i reads
x[i + 1] before iteration i + 1 overwrites it (a loop-carried anti
dependence); run in parallel, some reads would see the new values."""
import numpy as np


# dfc: shift(x: float64[N])
def shift(x):
    for i in range(x.shape[0] - 1):
        x[i] = x[i + 1]
