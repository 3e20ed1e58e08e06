"""map-peeling refuses a map at the top of its state: its peeled
iteration would need access nodes of its own."""
import numpy as np


# dfc: kern(x: float64[N], a: float64[N])
def kern(x, a):
    a[:] = x + 1.0
