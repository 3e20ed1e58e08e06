"""vectorize on a map nested in another that sums into a 0-d container
each iteration of the outer map starts from zero (xcorr's sum per lag,
once loop-to-map has made the loop over lags a map): the backend
accumulates the inner loop in a local under `#pragma omp simd
reduction(+:dfcrow_sum)`, and the outer map runs in parallel, the
container private to its iteration."""
import numpy as np

# dfc-test: script tests/xform/vectorize_nested_reduction.recipe.yaml
# dfc-test: sizes N=6 | N=40 | N=3000


# dfc: lags(x: float64[N], y: float64[N], K: int64)
def lags(x, y, K):
    n = x.shape[0]
    out = np.empty(K)
    for lag in range(K):
        out[lag] = np.sum(x[:n - K] * y[lag:lag + n - K])
    return out
