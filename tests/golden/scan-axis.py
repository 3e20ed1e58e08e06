"""np.cumsum / np.cumprod along a non-leading axis: a scan library node
reading the operand's view as a subset (strided here), or a copy of a
transposed operand; along the first axis, a loop of maps."""
import numpy as np


# dfc: scan_axis(A: float64[N, M], B: int32[N, M, K])
def scan_axis(A, B):
    return (np.cumsum(A[:, ::2], axis=1), np.cumprod(B, axis=-2),
            np.cumsum(A.T, axis=1), np.cumsum(A, axis=0))
