"""loop-to-map is conservative where subscripts are not affine: y[i*i % N]
may name one element in two iterations, and isl cannot express i*i, so
the dependence test leaves that subscript out and assumes a dependence."""
import numpy as np


# dfc: squares(x: float64[N], y: float64[N])
def squares(x, y):
    for i in range(x.shape[0] // 4):
        y[i * i] = x[i]
