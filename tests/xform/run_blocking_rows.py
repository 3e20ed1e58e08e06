"""run-blocking runs a row softmax block by block: a parallel loop over
blocks of rows, the max, the exponentials and their sums, and the
quotients of each block inside it."""
import numpy as np

# dfc-test: script tests/xform/run_blocking_rows.recipe.yaml
# dfc-test: sizes N=1,M=5 | N=37,M=29 | N=300,M=200 | N=2000,M=3
# dfc-test: range X=-5,5


# dfc: kern(X: float64[N, M])
def kern(X):
    m = np.max(X, axis=1, keepdims=True)
    e = np.exp(X - m)
    return e / np.sum(e, axis=1, keepdims=True)
