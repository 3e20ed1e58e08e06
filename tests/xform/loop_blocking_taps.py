"""loop-blocking of an FIR filter's loop over taps: each tap adds h[k]
times x shifted by k into y[k:], so the element a map instance writes is
its index plus the tap; blocks of 64 elements of y, each running every
tap, in a parallel loop."""
import numpy as np

# dfc-test: sizes N=1,T=1 | N=64,T=5 | N=65,T=9 | N=300,T=70
# dfc-test: script tests/xform/loop_blocking_taps.recipe.yaml


# dfc: kern(x: float64[N], h: float64[T])
def kern(x, h):
    y = np.zeros_like(x)
    for k in range(h.shape[0]):
        y[k:] += h[k] * x[:x.shape[0] - k]
    return y
