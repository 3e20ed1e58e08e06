"""vectorize refuses the inner loop of a complex column sum: iteration
_i1 of it accumulates into c[_i1], an element of its own, but complex
reductions keep their scalar loop (a float column sum is
vectorize_column_reduction; a row sum, whose inner loop accumulates into
one r[_i0], is vectorize_row_reduction)."""
import numpy as np


# dfc: k(a: complex128[N, M])
def k(a):
    c = a.sum(axis=0)
    return c
