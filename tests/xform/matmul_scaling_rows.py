"""matmul-scaling where the matmul writes only a leading part of its
transient (a transient sized for the longest row of a loop): the upper
triangle of a covariance matrix row by row, x @ data[:, i:] / (n - 1)
written into cov[i, i:]. The product is 1-D (a column times a matrix)
and stays so once it writes a row of cov (ir/matmul.c). N=1 divides by
0: the Inf and NaN of NumPy's sum / 0."""
import numpy as np

# dfc-test: script tests/xform/matmul_scaling_rows.recipe.yaml
# dfc-test: sizes N=20,M=13 | N=1,M=3 | N=4,M=1


# dfc: kern(data: float64[N, M], cov: float64[M, M])
def kern(data, cov):
    n = data.shape[0]
    for i in range(data.shape[1]):
        cov[i, i:] = data[:, i] @ data[:, i:] / (n - 1.0)
