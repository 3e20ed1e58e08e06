"""redundant-copy-removal, case (b): `t = x.copy()` copies the argument x
into a transient that is only read afterwards, and x is not written while
t is read, so the reads of t become reads of x. The second copy, u, runs in
a loop that does not write x: it goes too."""
import numpy as np

# dfc-test: sizes N=9 | N=1
# dfc-test: args k=3
# dfc-test: script tests/xform/copy_removal_copy.recipe.yaml


# dfc: kern(x: float64[N], y: float64[N], z: float64[N], k: int64)
def kern(x, y, z, k):
    t = x.copy()
    y[:] = t * 2.0
    for i in range(k):
        u = x.copy()
        z[:] = z + u
    y[0] = t[-1]
