"""for loops over arrays: rows of a matrix are views (updates reach the
matrix), elements of a vector are numbers."""
import numpy as np

# dfc-test: sizes N=5,M=3 | N=1,M=4


# dfc: row_norms(A: float64[N, M])
def row_norms(A):
    """Normalises every row in place through the loop variable."""
    for row in A:
        row[:] = row / np.sqrt(np.sum(row * row))
    return A.sum(axis=1)


# dfc: running(x: float64[N])
def running(x):
    """Iterates over the values of x while overwriting x."""
    s = 0.0
    for v in x:
        s = s + v
        x[:] = x * 0.5
    return s


# dfc: over_expr(A: float64[N, M])
def over_expr(A):
    """Iterates over the rows of a computed array."""
    t = 0.0
    for r in A * 2.0:
        t = t + np.max(r)
    return t


# dfc: unit_rows(A: float64[N, M])
def unit_rows(A):
    """Rows updated in place through the loop variable (row /= ...)."""
    for row in A:
        row /= np.sqrt(np.sum(row * row))
        row += 1.0
