"""In-place idioms of scientific scripts, where NumPy's semantics (the
right-hand side is evaluated before the overlapping write) decide the
result: symmetrising A += A.T, transposing and reversing in place,
shifting buffers, vectorised Gaussian elimination whose update reads the
pivot column it overwrites, Gauss-Jordan inversion, in-place
normalisation of rows, and helpers that update overlapping views."""
import numpy as np

# dfc-test: sizes N=8,M=6 | N=13,M=11
# dfc-test: spd S


def axpy_into(y, a, x):
    """y += a x, for views of the caller's arrays."""
    y += a * x


# dfc: normalize_rows(A: float64[N, M])
def normalize_rows(A):
    """Scales every row to unit Euclidean norm in place, then makes the
    columns zero-mean."""
    for row in A:
        row /= np.sqrt(np.sum(row * row))
    A -= A.mean(axis=0)
