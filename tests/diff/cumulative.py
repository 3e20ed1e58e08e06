"""np.cumsum / np.cumprod: 1-D, along every axis of 2-D and 3-D arrays
(the first axis a loop of vectorized maps, any other a scan node), as
methods, on integers, booleans, float32 and complex numbers, with empty
and one-element extents, written into a slice that a later map reads
(tests/diff/cumulative_views.py has views, in-place updates and loops)."""
import numpy as np

# dfc-test: sizes N=7,M=4,K=3 | N=1,M=3,K=1 | N=12,M=1,K=2 | N=0,M=5,K=2 | N=3,M=0,K=4 | N=5,M=6,K=0


# dfc: prefix(x: float64[N], k: int32[N])
def prefix(x, k):
    """Prefix sums and products of floats and small integers."""
    return np.cumsum(x), x.cumprod(), np.cumsum(k), np.cumsum(x * 2.0) - x


# dfc: along(A: float64[N, M])
def along(A):
    """Cumulative sums down the columns and along the rows."""
    return np.cumsum(A, axis=0), A.cumsum(axis=1), np.cumprod(A, axis=-1)


# dfc: along3(B: float64[N, M, K])
def along3(B):
    """Every axis of a 3-D array, counted from both ends."""
    return (np.cumsum(B, axis=0), np.cumsum(B, axis=1), np.cumsum(B, axis=2),
            np.cumprod(B, axis=-1), np.cumprod(B, axis=-2), B.cumsum(axis=-3))


# dfc: dtypes(I: int32[N, M], U: uint8[N, M], P: bool[N, M], F: float32[N, M, K])
def dtypes(I, U, P, F):
    """Integers widen to int64 (unsigned to uint64), booleans count,
    float32 stays float32."""
    return (np.cumsum(I, axis=1), np.cumprod(I, axis=1), np.cumsum(U, axis=-1),
            np.cumsum(P, axis=1), np.cumsum(F, axis=1), np.cumprod(F, axis=2),
            np.cumsum(F, axis=0))


# dfc: cplx(Z: complex128[N, M])
def cplx(Z):
    """Complex running sums and products (NumPy's complex product)."""
    return np.cumsum(Z, axis=1), np.cumprod(Z, axis=1)


# dfc: integral(img: float64[N, M])
def integral(img):
    """An integral image with a zero border, then box sums from it: the
    scan written into a slice and read by a later map."""
    S = np.zeros((img.shape[0] + 1, img.shape[1] + 1))
    S[1:, 1:] = np.cumsum(np.cumsum(img, axis=0), axis=1)
    return S, S[1:, 1:] - S[:-1, 1:] - S[1:, :-1] + S[:-1, :-1]
