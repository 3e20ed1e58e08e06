"""vectorize refuses the inner loop of a row sum: every iteration of it
accumulates into the same r[_i0], and the backend gives that simd loop no
reduction clause."""
import numpy as np


# dfc: k(a: float64[N, M])
def k(a):
    r = a.sum(axis=1)
    return r
