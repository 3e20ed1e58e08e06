"""sweep-blocking with shrink: false: the run is blocked over the columns
but every transient keeps its full size, so the blocks touch disjoint
elements of everything they write (what a parallel loop over the blocks
needs)."""
import numpy as np

# dfc-test: sizes N=30,M=7 | N=57,M=33 | N=1,M=20
# dfc-test: script tests/xform/sweep_blocking_noshrink.recipe.yaml


# dfc: kern(X: float64[N, M])
def kern(X):
    mu = np.mean(X, axis=0)
    d = X - mu
    return d * d
