"""stride-interchange of a transposed view filled with a vector (one map:
the rows move out, the columns in, and the store walks A along its rows),
of a loop over columns around a loop over rows, made maps first (the
two nested maps trade their parameters), and of the column sums of A.T
(the sum over the rows moves out: each row of A is added to the sums
along it)."""
import numpy as np

# dfc-test: script tests/xform/stride_interchange.recipe.yaml
# dfc-test: sizes N=5,M=7 | N=1,M=3


# dfc: fill_columns(A: float64[N, M], v: float64[N])
def fill_columns(A, v):
    A.T[:, :] = v


# dfc: column_loops(A: float64[N, M], B: float64[N, M])
def column_loops(A, B):
    for j in range(A.shape[1]):
        for i in range(A.shape[0]):
            B[i, j] = A[i, j] - 1.0


# dfc: col_sums(A: float64[N, M])
def col_sums(A):
    return A.T.sum(axis=1)
