"""vectorize refuses the inner loop of a column sum: iteration _i1 of it
accumulates into c[_i1], an element of its own, which the backend cannot
keep in one accumulator across the simd loop (a row sum, whose inner loop
accumulates into one r[_i0], is vectorize_row_reduction)."""
import numpy as np


# dfc: k(a: float64[N, M])
def k(a):
    c = a.sum(axis=0)
    return c
