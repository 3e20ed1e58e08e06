"""outer-map-fusion refuses maps whose first ranges differ (0:N against
0:N - 1): there is no outer map to fuse over."""
import numpy as np


# dfc: kern(x: float64[N, M], a: float64[N, M], b: float64[N, M])
def kern(x, a, b):
    a[:, :] = x + 1.0
    b[1:, :] = x[1:, :] * 2.0
