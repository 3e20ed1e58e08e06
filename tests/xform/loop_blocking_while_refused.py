"""loop-blocking refuses a loop whose body holds a while loop, whose trip
count could differ between blocks."""
import numpy as np


# dfc: kern(x: float64[N], h: float64[T])
def kern(x, h):
    for k in range(h.shape[0]):
        j = 0
        while j < k:
            x += h[j]
            j += 1
