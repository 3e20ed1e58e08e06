"""Parallel loops whose every iteration starts a sum (or max) from scratch
in a scalar, accumulates into it in an inner loop, and stores it: the
scalar is private to the iteration, so the loop runs in parallel and the
inner accumulation is a simd reduction (xcorr's sum per lag, a row norm
before the row is scaled, two sums in one iteration, which the frontend
keeps in two scalars, a 2-D window sum, whose loop over rows forks once).
last_sum is the control that stays sequential: its scalar is used after
the loop, so loop-to-map leaves the loop as it is.
The sizes leave the loops too small to fork and big enough to."""
import numpy as np

# dfc-test: sizes N=5,M=3,K=1 | N=16,M=7,K=3 | N=40,M=33,K=9 | N=300,M=260,K=37 | N=2100,M=700,K=3


# dfc: lag_sums(x: float64[N], y: float64[N], K: int64)
def lag_sums(x, y, K):
    n = x.shape[0]
    out = np.empty(K)
    for lag in range(K):
        out[lag] = np.sum(x[:n - K] * y[lag:lag + n - K])
    return out


# dfc: lag_sums32(x: float32[N], y: float32[N], K: int64)
def lag_sums32(x, y, K):
    n = x.shape[0]
    out = np.empty(K, dtype=np.float32)
    for lag in range(K):
        out[lag] = np.sum(x[:n - K] * y[lag:lag + n - K])
    return out


# dfc: lag_sums_int(x: int64[N], y: int64[N], K: int64)
def lag_sums_int(x, y, K):
    n = x.shape[0]
    out = np.empty(K, dtype=np.int64)
    for lag in range(K):
        out[lag] = np.sum(x[:n - K] * y[lag:lag + n - K])
    return out


# dfc: row_max(A: float64[N, M])
def row_max(A):
    out = np.empty(A.shape[0])
    for i in range(A.shape[0]):
        out[i] = np.max(A[i, :] * 2.0 - 1.0)
    return out


# dfc: scale_rows(A: float64[N, M])
def scale_rows(A):
    for i in range(A.shape[0]):
        s = np.sum(A[i, :] * A[i, :])
        A[i, :] = A[i, :] / np.sqrt(s + 1.0)


# dfc: last_sum(A: float64[N, M])
def last_sum(A):
    out = np.empty(A.shape[0])
    s = 0.0
    for i in range(A.shape[0]):
        s = np.sum(A[i, :])
        out[i] = 2.0 * s
    return out, s


# dfc: two_sums(A: float64[N, M], B: float64[N, M])
def two_sums(A, B):
    out = np.empty(A.shape[0])
    for i in range(A.shape[0]):
        s = np.sum(A[i, :])
        s += np.sum(B[i, :] * 3.0)
        out[i] = s
    return out


# dfc: window_sums(img: float64[N, M], w: float64[K, K])
def window_sums(img, w):
    k = w.shape[0]
    rows = img.shape[0] - k + 1
    cols = img.shape[1] - k + 1
    out = np.zeros((max(rows, 0), max(cols, 0)))
    for i in range(rows):
        for j in range(cols):
            out[i, j] = np.sum(img[i:i + k, j:j + k] * w)
    return out
