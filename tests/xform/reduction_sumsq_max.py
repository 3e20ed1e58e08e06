"""reduction-recognition of two reductions in one loop, in two states: a
sum of squares (sum WCR) and a running np.maximum (max WCR,
NaN-propagating). The states merge into the map's body. (Python's builtin
max is not that reduction: it keeps its first argument unless the second
compares greater, so it skips a NaN of x[i].)"""
import numpy as np

# dfc-test: script tests/xform/reduction_sumsq_max.recipe.yaml
# dfc-test: sizes N=37 | N=1


# dfc: sumsq_max(x: float64[N])
def sumsq_max(x):
    s = 0.0
    m = -np.inf
    for i in range(x.shape[0]):
        s += x[i] * x[i]
        m = np.maximum(m, x[i])
    return s + m
