"""sweep-blocking after otf-map-fusion: d = X - mu is recomputed in its
two readers, so no transient d is left to shrink; the run is blocked over
the columns all the same."""
import numpy as np

# dfc-test: sizes N=30,M=7 | N=257,M=33 | N=1,M=20
# dfc-test: script tests/xform/sweep_blocking_otf.recipe.yaml


# dfc: kern(X: float64[N, M])
def kern(X):
    mu = np.mean(X, axis=0)
    d = X - mu
    std = np.sqrt(np.mean(d * d, axis=0))
    return d / std
