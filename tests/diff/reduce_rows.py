"""Reductions along the last axis (and the others) of 2-D and 3-D arrays:
np.argmax/np.argmin as a map over the kept dimensions that scans the axis
(the extreme, then the least index holding it or holding a NaN), and
np.max/min/sum/mean/any/all along axis=-1 / axis=1. Ties take the first
index, a NaN wins over every number (NumPy's rules); single rows and
single columns; float32 and integer inputs."""
import numpy as np

# dfc-test: sizes N=7,M=5,K=4 | N=1,M=6,K=3 | N=6,M=1,K=1 | N=33,M=70,K=9
# dfc-test: range A=-2,2 B=-2,2 f=-2,2 k=-3,3 u=0,4 labels=0,5


# dfc: ties(A: float64[N, M], B: float64[N, M, K])
def ties(A, B):
    """Integral values in [-4, 4): many ties, negative extremes."""
    A = np.floor(A * 2.0)
    B = np.floor(B * 2.0)
    return (np.argmax(A, axis=1), np.argmin(A, axis=-1), np.argmax(A, axis=0),
            np.argmax(B, axis=-1), np.argmin(B, axis=2), np.argmax(B, axis=1),
            np.argmin(B, axis=0), np.argmax(B, axis=-1, keepdims=True), np.argmin(A))


# dfc: nans(A: float64[N, M], B: float64[N, M, K])
def nans(A, B):
    """NaN before, after and instead of the extreme; whole NaN rows;
    infinities."""
    A[:, A.shape[1] - 1] = np.nan
    A[0, :] = np.nan
    A[A.shape[0] // 2, 0] = -np.inf
    A[A.shape[0] - 1, A.shape[1] // 2] = np.inf
    B[:, :, 0] = np.nan
    B[B.shape[0] - 1, :, :] = np.inf
    return (np.argmax(A, axis=1), np.argmin(A, axis=1), np.argmax(A, axis=0),
            np.max(A, axis=1), np.min(A, axis=-1), np.argmax(B, axis=-1),
            np.argmin(B, axis=-1), np.max(B, axis=-1), np.argmax(A), np.argmin(B))


# dfc: infs(A: float64[N, M])
def infs(A):
    """Rows of -inf for argmax and of +inf for argmin: index 0."""
    lo = A * 0.0 - np.inf
    hi = A * 0.0 + np.inf
    return np.argmax(lo, axis=1), np.argmin(hi, axis=-1), np.argmax(hi, axis=0)


# dfc: narrow(f: float32[N, M], k: int8[N, M], u: uint8[N, M, K], b: bool[N, M])
def narrow(f, k, u, b):
    """float32, signed and unsigned integers, booleans."""
    return (np.argmax(f, axis=1), np.argmin(f, axis=-1), np.argmax(k, axis=1),
            np.argmin(k, axis=-1), np.argmax(u, axis=-1), np.argmin(u, axis=2),
            np.argmax(b, axis=1), np.argmin(b, axis=-1), np.max(f, axis=1),
            np.min(k, axis=-1), np.max(u, axis=-1))


# dfc: computed(A: float64[N, M], B: float64[N, M, K])
def computed(A, B):
    """The arg of a computed value (materialised once), of a slice, and
    inside a loop over the leading axis."""
    out = np.empty((B.shape[0], B.shape[1]), dtype=np.int64)
    for i in range(B.shape[0]):
        out[i] = np.argmax(np.sin(B[i] * 3.0), axis=1)
    return (np.argmax(np.exp(A) - 2.0 * A, axis=1), np.argmin(A[:, ::-1], axis=1),
            np.argmax(A.T, axis=1), out, np.argmin(np.cos(A * 5.0)))


# dfc: rows(A: float64[N, M], B: float64[N, M, K], k: int8[N, M])
def rows(A, B, k):
    """np.max/min/sum/mean/any/all along the last axis of 2-D and 3-D."""
    return (np.max(A, axis=-1), np.min(A, axis=1), np.sum(A, axis=1), np.mean(A, axis=-1),
            np.any(A > 1.0, axis=1), np.all(A > -1.5, axis=-1), np.sum(k, axis=1),
            np.max(B, axis=-1), np.min(B, axis=2), np.sum(B, axis=-1), np.mean(B, axis=2),
            np.any(B > 1.5, axis=-1), np.all(B < 1.5, axis=2), np.max(k, axis=-1),
            np.mean(k, axis=1), np.sum(B, axis=-1, keepdims=True))


# dfc: accuracy(logits: float64[N, M], labels: int64[N])
def accuracy(logits, labels):
    """cross_entropy's accuracy: the mean of an argmax comparison."""
    logits = np.floor(logits)
    return np.mean(np.argmax(logits, axis=1) == labels), np.mean(np.argmin(logits, axis=-1) == labels)


# dfc: scalars(A: float64[N, M], s: float64)
def scalars(A, s):
    """A 0-d operand (index 0) and a row of a 2-D array."""
    return np.argmax(s), np.argmin(s * 2.0), np.argmax(A[A.shape[0] - 1]), A[0].argmin()
