"""sweep-blocking of column standardisation: every map treats column j
alone (the column sums reduce over rows only), so the run of states goes
block by block over the columns; d and the per-column vectors shrink to
one block. size: 8 makes several blocks at test sizes, the last one
partial (M = 33), or one block narrower than 8 (M = 5)."""
import numpy as np

# dfc-test: sizes N=30,M=7 | N=257,M=33 | N=1,M=20 | N=9,M=5
# dfc-test: script tests/xform/sweep_blocking_columns.recipe.yaml


# dfc: kern(X: float64[N, M])
def kern(X):
    mu = np.mean(X, axis=0)
    d = X - mu
    std = np.sqrt(np.mean(d * d, axis=0))
    return d / std
