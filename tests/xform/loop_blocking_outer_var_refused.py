"""loop-blocking refuses an inner loop whose maps range over the variable
of a loop around it: blocks are taken over ranges of sizes and of the
variables of the loop and of the loops in it."""
import numpy as np


# dfc: kern(x: float64[N], h: float64[T])
def kern(x, h):
    for t in range(h.shape[0]):
        for k in range(3):
            x[t:] *= h[k]
