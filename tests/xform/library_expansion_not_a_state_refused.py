"""library-expansion names a state: a map is not a site."""
import numpy as np


# dfc: mv(A: float64[N, K], x: float64[K])
def mv(A, x):
    return 2.0 * (A @ x)
