"""sweep-blocking of a run inside a loop: each iteration centres the
columns of X in place and scales them; the run is blocked, but its
transients (mu, s) keep their full size, because a run that a loop repeats
could read what the previous iteration left in them."""
import numpy as np

# dfc-test: sizes N=30,M=7 | N=20,M=33 | N=1,M=20
# dfc-test: script tests/xform/sweep_blocking_loop.recipe.yaml


# dfc: kern(X: float64[N, M])
def kern(X):
    for t in range(3):
        mu = np.mean(X, axis=0)
        X[:] = (X - mu) * 0.5
    return X * 2.0
