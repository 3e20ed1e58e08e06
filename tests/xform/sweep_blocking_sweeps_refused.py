"""sweep-blocking refuses a run of a single sweep: a 1-D map and one map
over X read X once anyway, so blocks would only add loop overhead."""
import numpy as np


# dfc: kern(X: float64[N, M], v: float64[M])
def kern(X, v):
    w = v * 2.0
    return X * w
