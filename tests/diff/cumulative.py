"""np.cumsum / np.cumprod: 1-D, along an axis, as methods, on integers."""
import numpy as np

# dfc-test: sizes N=7,M=4 | N=1,M=3 | N=12,M=1


# dfc: prefix(x: float64[N], k: int32[N])
def prefix(x, k):
    """Prefix sums and products of floats and small integers."""
    return np.cumsum(x), x.cumprod(), np.cumsum(k), np.cumsum(x * 2.0) - x


# dfc: along(A: float64[N, M])
def along(A):
    """Cumulative sums down the columns and along the rows."""
    return np.cumsum(A, axis=0), A.cumsum(axis=1), np.cumprod(A, axis=-1)
