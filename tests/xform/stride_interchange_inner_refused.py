"""stride-interchange at the inner of two nested maps: its site is the
outer map, which reorders both."""
import numpy as np


# dfc: column_loops(A: float64[N, M], B: float64[N, M])
def column_loops(A, B):
    for j in range(A.shape[1]):
        for i in range(A.shape[0]):
            B[i, j] = A[i, j] - 1.0
