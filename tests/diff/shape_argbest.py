"""np.argmin/np.argmax (flat, along an axis, keepdims, methods): the first
occurrence wins ties, the first NaN wins over numbers."""
import numpy as np

# dfc-test: sizes N=6,M=4 | N=9,M=5
# dfc-test: range k=0,3


# dfc: flat(x: float64[N], A: float64[N, M], k: int16[N, M])
def flat(x, A, k):
    """Flat indices (int64), of computed values too."""
    return np.argmax(x), np.argmin(A), A.argmax(), k.argmin(), np.argmax(A * -1.0 + x[0])


# dfc: axes(A: float64[N, M], k: int32[N, M])
def axes(A, k):
    """Along each axis, with ties (integers in [0, 3))."""
    return (np.argmax(A, axis=0), np.argmin(A, axis=1), A.argmax(axis=-1), np.argmax(k, 0),
            np.argmin(k, axis=1), np.argmax(k, axis=1, keepdims=True), k.argmin(keepdims=True))


# dfc: nans(x: float64[N], A: float64[N, M])
def nans(x, A):
    """The first NaN's index, flat and along an axis."""
    x[3] = np.nan
    x[5] = np.nan
    A[2, 1] = np.nan
    A[4, 1] = np.nan
    A[1, 3] = np.nan
    return np.argmax(x), np.argmin(x), np.argmax(A, axis=0), np.argmin(A, axis=1), A.argmin()


# dfc: bools(b: bool[N, M])
def bools(b):
    """Booleans: the first True (argmax) or False (argmin)."""
    return np.argmax(b), np.argmin(b, axis=0), b.argmax(axis=1)
