"""library-expansion refuses BLAS for a dot inside a loop that
loop-parallelize has made parallel: BLAS is called only outside OpenMP
parallel regions (its threads would run beside the loop's)."""
import numpy as np


# dfc: acf(x: float64[N], K: int64)
def acf(x, K):
    n = x.shape[0]
    out = np.empty(K)
    for k in range(K):
        out[k] = x[:n - k] @ x[k:]
    return out
