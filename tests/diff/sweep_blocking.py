"""Runs of sweeps that sweep-blocking (the recipe: -O3, then
sweep-blocking, which is not in -O3) does block by block along a
dimension they all share, against NumPy. The width W is 8 * max(1, 32768 //
rows): at N = 40000 rows it is 8, so M = 20 columns make blocks of 8, 8
and 4 (M not a multiple of W) and the maps of a block fork (more than
32768 iterations); at N = 5000 it is 48 (M = 30 < W: one block; M = 100:
48, 48, 4); N = 1 makes one block of everything."""
import numpy as np

# dfc-test: script tests/diff/sweep_blocking.recipe.yaml
# dfc-test: sizes N=40000,M=20 | N=5000,M=30 | N=5000,M=100 | N=1,M=50 | N=3,M=17


# dfc: standardize(X: float64[N, M])
def standardize(X):
    """Column standardisation: blocked over the columns, d shrunk."""
    mu = np.mean(X, axis=0)
    d = X - mu
    std = np.sqrt(np.mean(d * d, axis=0))
    return d / std


# dfc: center_inplace(X: float64[N, M], s: float64[M])
def center_inplace(X, s):
    """An argument updated in place and a vector argument written, per
    column."""
    mu = np.mean(X, axis=0)
    X[:] = X - mu
    s[:] = np.max(np.abs(X), axis=0)
    return X / s


# dfc: rows(X: float64[M, N], w: float64[N])
def rows(X, w):
    """Layer normalisation of M rows of N, blocked over the rows by -O3's
    run-blocking already (the recipe leaves it alone)."""
    mu = X.mean(axis=1, keepdims=True)
    xc = X - mu
    var = np.mean(xc * xc, axis=1, keepdims=True)
    return xc / np.sqrt(var + 1e-5) * w


# dfc: scaled(X: float64[N, M], Y: float64[N, M], a: float64)
def scaled(X, Y, a):
    """Two outputs and a scalar broadcast, every map pointwise."""
    t = np.sum(X * Y, axis=0)
    Z = a * X + t
    return Z, np.sum(Z * Y, axis=0)
