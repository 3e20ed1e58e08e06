"""vectorize on float32 row reductions: a row sum, a row maximum and a
row minimum accumulate in a local under the inner loop's reduction clause
(`#pragma omp simd reduction(+:dfcrow_r)`), as for float64; the lanes
regroup the float32 additions as NumPy's pairwise sum does, and min and
max come out the same in any order (NaN propagating)."""
import numpy as np

# dfc-test: script tests/xform/vectorize_row_reduction32.recipe.yaml
# dfc-test: sizes N=1,M=1 | N=7,M=203
# dfc-test: range a=-1,1


# dfc: rows32(a: float32[N, M])
def rows32(a):
    r = a.sum(axis=1)
    m = np.max(a, axis=1)
    n = np.min(a, axis=1)
    return r, m, n
