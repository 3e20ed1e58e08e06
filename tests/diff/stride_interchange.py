"""Maps whose last parameter walks their arrays down the columns while
another walks them along the rows, which -O3 reorders so that the inner
loop writes (and reads) contiguous memory (stride-interchange,
passes/map_interchange.c; docs/transformations.md): a transposed view
filled with a vector, a scalar and a broadcast row of itself (NumPy copies
the row, not the broadcast value, and so does dfc), loops over columns
outside loops over rows, reductions over the columns of a transposed
view (each row of A added to the sums along it: the sums may round
otherwise, as in any parallel reduction), and controls: a transpose
(tiled, not reordered), a row-major sum, a column sum already along the
rows and a store into an N x 1 column. tests/wrap/stride_interchange.py checks which maps are
reordered."""
import numpy as np

# dfc-test: sizes N=1,M=1 | N=5,M=7 | N=37,M=45 | N=2,M=40 | N=40,M=2


# dfc: fill_columns(A: float64[N, M], v: float64[N])
def fill_columns(A, v):
    A.T[:, :] = v


# dfc: fill_transposed(A: int32[N, M])
def fill_transposed(A):
    A.T[1:, :] = 7


# dfc: last_row_down(a: bool[N, M])
def last_row_down(a):
    a.T[:, :] = (a[-1, :])[:, None]


# dfc: shifted_rows(a: float64[N, M])
def shifted_rows(a):
    a.T[:, 1:] = a[:1, :].T * 0.5 + 1.0


# dfc: column_loops(A: float64[N, M], B: float64[N, M])
def column_loops(A, B):
    n, m = A.shape
    for j in range(m):
        for i in range(n):
            B[i, j] = 2.0 * A[i, j] + j
    return B


# dfc: transposed_sums(A: float64[N, M], k: int32[N, M])
def transposed_sums(A, k):
    return A.T.sum(axis=1), np.max(A.T, axis=1), k.T.sum(axis=1), np.sum(A.T * 2.0)


# dfc: transposed(A: float64[N, M])
def transposed(A):
    return A.T * 3.0


# dfc: row_major(A: float64[N, M], B: float64[N, M])
def row_major(A, B):
    return A + B


# dfc: column_sums(A: float64[N, M])
def column_sums(A):
    return A.sum(axis=0)


# dfc: as_column(v: float64[N])
def as_column(v):
    return v[:, None] * 2.0
