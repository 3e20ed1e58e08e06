"""redundant-copy-removal must refuse case (c) when writing in place would
let an iteration read what another one wrote, in either order of the
elements: x[1:-1] = x[:-2] + x[2:] reads the old x[i] and x[i + 2] where
iterations i - 1 and i + 1 write them (NumPy's buffered semantics need the
transient). A shift that reads on one side only runs in place in order
(copy_removal_shift)."""
import numpy as np


# dfc: kern(x: float64[N])
def kern(x):
    x[1:-1] = x[:-2] + x[2:]
    return x
