"""reduction-recognition refuses a sum over a loop whose step is computed
at run time (either sign): the loop cannot become a map."""
import numpy as np


# dfc: strided_sum(x: float64[N], w: int64[N])
def strided_sum(x, w):
    s = 0.0
    for i in range(x.shape[0] - 1, -1, w[0] - 5):
        s = s + x[i]
    return s
