"""reduction-recognition of two reductions in one loop, in two states: a
sum of squares (sum WCR) and a running maximum (max WCR, NaN-propagating
like np.maximum). The states merge into the map's body."""
import numpy as np

# dfc-test: script tests/xform/reduction_sumsq_max.recipe.yaml
# dfc-test: sizes N=37 | N=1


# dfc: sumsq_max(x: float64[N])
def sumsq_max(x):
    s = 0.0
    m = -np.inf
    for i in range(x.shape[0]):
        s += x[i] * x[i]
        m = max(m, x[i])
    return s + m
