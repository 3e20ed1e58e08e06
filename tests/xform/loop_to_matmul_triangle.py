"""loop-to-matmul of a triangle (a correlation's lower part): row i of
the product takes the columns of X from i + 1 on. The rows and the
columns are of one matrix, so the product over all rows becomes X^T X
over every column (?syrk in BLAS), and iteration i reads its row of it
from column i + 1 on."""
import numpy as np

# dfc-test: sizes N=1,M=1 | N=4,M=2 | N=9,M=7 | N=3,M=30
# dfc-test: script tests/xform/loop_to_matmul_triangle.recipe.yaml


# dfc: kern(X: float64[N, M])
def kern(X):
    m = X.shape[1]
    corr = np.eye(m)
    for i in range(m - 1):
        corr[i + 1:, i] = X[:, i] @ X[:, i + 1:]
        corr[i, i + 1:] = corr[i + 1:, i]
    return corr
