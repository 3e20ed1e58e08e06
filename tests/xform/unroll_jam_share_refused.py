"""unroll-and-jam refuses a map whose rows share no work: an elementwise
update computes nothing twice, whatever the rows."""
import numpy as np


# dfc: axpy2(x: float64[N, M], y: float64[N, M])
def axpy2(x, y):
    return 2.0 * x + np.sqrt(y)
