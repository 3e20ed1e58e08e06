"""Temporaries that dfc makes itself but whose shape depends on a loop
variable are refused ("the size of this array, (M - min(M, i),), depends on
'i' ... not supported yet"), although docs/python.md excepts "temporaries
dfc makes itself" from that limitation and already bounds the temporaries
of overlapping in-place updates:
- the result of a matrix product of loop-dependent slices (the rank-1 LU
  update, the covariance column data[:, i] @ data[:, i:M]);
- the value of a chained assignment (a = b = e materialises e first).
A bounded transient (the full N x N / M extent, as for the in-place
temporaries) or fusing the product into the store would do."""
import numpy as np

# dfc-test: sizes N=7,M=5 | N=2,M=3


# dfc: lu_rank1(A: float64[N, N])
def lu_rank1(A):
    """In-place Doolittle LU of a diagonally dominant matrix, the trailing
    update as an outer product of slices."""
    n = A.shape[0]
    for i in range(n):
        A[i, i] += n
    for k in range(n - 1):
        A[k + 1:, k] /= A[k, k]
        A[k + 1:, k + 1:] -= A[k + 1:, k:k + 1] @ A[k:k + 1, k + 1:]
    return A


# dfc: cov_columns(data: float64[N, M])
def cov_columns(data):
    """The upper triangle of data^T data, a vector-matrix product per column."""
    m = data.shape[1]
    cov = np.zeros((m, m))
    for i in range(m):
        cov[i:m, i] = data[:, i] @ data[:, i:m]
    return cov


# dfc: chained_symmetric(data: float64[N, M])
def chained_symmetric(data):
    """PolyBench covariance's symmetric store: cov[i:, i] = cov[i, i:] = e."""
    m = data.shape[1]
    cov = np.zeros((m, m))
    for i in range(m):
        cov[i:m, i] = cov[i, i:m] = data[0, i:m] * 2.0
    return cov
