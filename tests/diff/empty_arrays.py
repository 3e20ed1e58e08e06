"""Arrays with a zero-length dimension."""
import numpy as np

# dfc-test: sizes N=0,M=3 | N=1,M=0


# dfc: empty_ops(x: float64[N, M], v: float64[M])
def empty_ops(x, v):
    """Elementwise, reductions (sum 0, prod 1, mean NaN), products, loops."""
    a = x * 2.0 + v
    s = np.sum(x)
    p = np.prod(x, axis=0)
    t = np.sum(x, axis=1)
    m = np.mean(x, axis=0)
    c = x.T @ x
    d = x @ v
    y = np.zeros((x.shape[0], 2))
    for i in range(x.shape[0]):
        y[i, 0] = np.sum(x[i, :])
    return a, s, p, t, m, c, d, y
