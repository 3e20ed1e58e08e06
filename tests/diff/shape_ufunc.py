"""ufunc methods: np.<ufunc>.outer, .reduce (axis=0 by default, None,
tuples, keepdims) and .accumulate, with NumPy's dtypes."""
import numpy as np

# dfc-test: sizes N=6,M=4 | N=5,M=7


# dfc: outers(x: float64[N], y: float64[M], k: int32[N], A: float64[N, M])
def outers(x, y, k, A):
    """outer of 1-D and N-D operands, comparisons, integer dtypes."""
    return (np.add.outer(x, y), np.multiply.outer(x, y), np.subtract.outer(y, x),
            np.maximum.outer(x, y), np.less.outer(x, y), np.add.outer(k, k),
            np.multiply.outer(A, y).sum(axis=1), np.power.outer(k, 2), np.divide.outer(k, x))


# dfc: reduces(A: float64[N, M], k: int8[N, M], b: bool[N, M])
def reduces(A, k, b):
    """reduce: axis 0 by default; dtypes as NumPy (int8 sums are int64)."""
    return (np.add.reduce(A), np.add.reduce(A, axis=1), np.multiply.reduce(A, axis=None),
            np.maximum.reduce(A, 1), np.minimum.reduce(A, axis=(0, 1)), np.add.reduce(k),
            np.maximum.reduce(k), np.add.reduce(b), np.logical_and.reduce(b),
            np.logical_or.reduce(b, axis=1), np.add.reduce(A, keepdims=True))


# dfc: accumulates(A: float64[N, M], k: int16[N, M], x: float64[N])
def accumulates(A, k, x):
    """accumulate along axis 0 (default) or another."""
    return (np.add.accumulate(A), np.multiply.accumulate(x), np.maximum.accumulate(A, axis=1),
            np.minimum.accumulate(x), np.add.accumulate(k, axis=1), np.maximum.accumulate(k),
            np.multiply.accumulate(k, 0))
