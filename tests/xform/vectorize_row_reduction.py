"""vectorize on maps of two or three parameters that reduce into one
element per run of their inner loop: a row sum, a row maximum (NaN
propagating), a product, the sum of a whole matrix and a reduction over
the last two axes; the backend keeps a local accumulator across the
inner loop (`#pragma omp simd reduction(+:dfcrow_r)`), starting from the
element and stored back after it."""
import numpy as np

# dfc-test: script tests/xform/vectorize_row_reduction.recipe.yaml
# dfc-test: sizes N=1,M=1,K=1 | N=37,M=29,K=5
# dfc-test: range a=-1,1


# dfc: rows(a: float64[N, M], b: int64[N, M], t: float64[N, M, K])
def rows(a, b, t):
    r = a.sum(axis=1)
    m = np.max(a, axis=1)
    p = np.prod(1.0 + a * 0.01, axis=1)
    s = np.sum(a * a)
    q = np.sum(b, axis=1)
    u = t.sum(axis=(1, 2))
    n = np.min(np.where(a > 0.9, np.nan, a), axis=1)
    return r, m, p, s, q, u, n
