"""loop-parallelize on a loop whose body holds a dot (autocorrelation's
`d[:n - k] @ d[k:]` per lag): a dot stays a naive library node at -O3,
whose loop runs on the iteration's thread as a simd reduction, so the
loop over lags runs in parallel, the dot's scalar private to the
iteration."""
import numpy as np

# dfc-test: script tests/xform/loop_parallelize_dot.recipe.yaml
# dfc-test: sizes N=6 | N=30 | N=2000


# dfc: acf(x: float64[N], K: int64)
def acf(x, K):
    n = x.shape[0]
    d = x - np.mean(x)
    out = np.empty(K)
    for k in range(K):
        out[k] = d[:n - k] @ d[k:]
    return out
