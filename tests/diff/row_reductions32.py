"""float32 row reductions at -O3: the innermost loop accumulates into a
local under `omp simd reduction(...)` (vectorize; codegen/openmp/state.c
row accumulators), its lanes regrouping the additions as NumPy's pairwise
sum does; min and max are exact in any order, NaN included. Rows long
enough for many vector iterations and an odd tail."""
import numpy as np

# dfc-test: sizes N=9,M=1000 | N=4,M=37 | N=2,M=3
# dfc-test: range X=-3,3


# dfc: row_stats32(X: float32[N, M])
def row_stats32(X):
    """Row max, min, sum and mean of squares, float32 throughout."""
    return X.max(axis=1), X.min(axis=1), X.sum(axis=1), np.mean(X * X, axis=1)


# dfc: row_nan32(X: float32[N, M])
def row_nan32(X):
    """A NaN in some rows, at a lane that is not the first: max and min
    propagate it, as NumPy's do."""
    X[0, X.shape[1] // 2] = np.nan
    X[X.shape[0] - 1, X.shape[1] - 1] = np.nan
    return np.max(X, axis=1), np.min(X, axis=1), np.sum(X, axis=1)


# dfc: softmax_rows32(X: float32[N, M])
def softmax_rows32(X):
    """Row softmax, float32."""
    e = np.exp(X - X.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
