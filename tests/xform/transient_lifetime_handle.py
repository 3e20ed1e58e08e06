"""transient-lifetime: T kept in the caller's handle (the default), U
kept there and given back the lifetime of a call, and z moved to the stack
(transient-allocation), which lives for one call; the kernel runs against
NumPy with several sizes, so handle buffers are reused across calls."""
import numpy as np

# dfc-test: sizes N=10,M=7 | N=1,M=3 | N=0,M=2 | N=12,M=9
# dfc-test: script tests/xform/transient_lifetime_handle.recipe.yaml


# dfc: kern(A: float64[N, M], x: float64[M])
def kern(A, x):
    T = A * 2.0 + x
    U = np.sin(T) - A
    z = np.zeros(8)
    z[1:4] = 2.0
    return T[::-1, :] + U * z[2], U.T
