"""vectorize refuses the inner map that map-expansion splits off a column
sum: iteration _i1 of it accumulates into c[_i1], an element of its own,
which needs the per-thread rows only a parallel map at the top level of
its state gets (vectorize_column_reduction); nested, the loop stays
scalar."""
import numpy as np


# dfc: k(a: float64[N, M])
def k(a):
    c = a.sum(axis=0)
    return c
