"""redundant-copy-removal must refuse case (c) when writing in place would
let an iteration read what another one wrote: x[1:] = x[1:] + x[:-1]
reads the old x[i] where iteration i - 1 writes it (NumPy's buffered
semantics need the transient)."""
import numpy as np


# dfc: kern(x: float64[N])
def kern(x):
    x[1:] = x[1:] + x[:-1]
    return x
