"""outer-map-fusion refuses a map that accumulates (a row sum): nested in
the fused map, it would lose the local accumulator and the simd reduction
that the backend gives a map at the top of its state."""
import numpy as np


# dfc: kern(x: float64[N, M], s: float64[N], m: float64[N])
def kern(x, s, m):
    s += np.sum(x, axis=1)
    m[:] = 2.0
