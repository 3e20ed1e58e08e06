"""Indexing the value of an expression: (a + b)[...], np.sqrt(x)[::2],
(A @ x)[:, None], as NumPy does on its temporary."""
import numpy as np

# dfc-test: sizes N=5,M=4 | N=1,M=3


# dfc: ix_newaxis(a: float64[N], b: float64[M])
def ix_newaxis(a, b):
    return (a * 2.0)[:, None] - (b + 1.0)[None, :]


# dfc: ix_slices(x: float64[N], A: float64[N, M])
def ix_slices(x, A):
    s = np.sqrt(x)[::2]
    r = (A * 3.0)[1:, ::-1]
    return s.sum() + r.sum(), (A.T @ x)[1:]


# dfc: ix_element(x: float64[N], y: float64[N])
def ix_element(x, y):
    return (x + y)[0] * (x * y)[-1]
