"""unroll-and-jam refuses a tasklet that uses the unrolled parameter as a
value (np.tril compares the row and column indices): the copies would
need the parameter shifted in their expressions, which the backend does
not do."""
import numpy as np


# dfc: lower(A: float64[N, M])
def lower(A):
    return np.tril(np.sqrt(A)) * 2.0
