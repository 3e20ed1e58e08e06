"""stride-interchange refuses a map that accumulates (the column sums of
A.T walk A down its columns): in another order, the sums would round
otherwise."""
import numpy as np


# dfc: col_sums(A: float64[N, M])
def col_sums(A):
    return A.T.sum(axis=1)
