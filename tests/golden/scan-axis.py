"""np.cumsum / np.cumprod along any axis of an N-D array: a scan library
node reading the operand's view as a subset (strided here), or a copy of
a transposed operand; the first axis too (axis 0)."""
import numpy as np


# dfc: scan_axis(A: float64[N, M], B: int32[N, M, K])
def scan_axis(A, B):
    return (np.cumsum(A[:, ::2], axis=1), np.cumprod(B, axis=-2),
            np.cumsum(A.T, axis=1), np.cumsum(A, axis=0))
