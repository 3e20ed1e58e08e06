"""loop-parallelize refuses a loop whose dot a recipe has already handed
to BLAS (library-expansion, impl: blas): only naive dots may run inside
a parallel loop."""
import numpy as np


# dfc: acf(x: float64[N], K: int64)
def acf(x, K):
    n = x.shape[0]
    out = np.empty(K)
    for k in range(K):
        out[k] = x[:n - k] @ x[k:]
    return out
