"""Runs of row-wise sweeps, which the -O3 pipeline runs block by block
(run-blocking: one parallel loop over blocks of rows, every map of the
run inside it, so that a block of the rows stays in the cache from one
map to the next): a row softmax (max, exponentials, their sums,
quotients), layer normalisation with a scale and a shift, a 1-D chain
whose second map writes and reads one element further on, a row centring
of an argument updated in place, and a map over all but the first and
last rows. The controls must stay unblocked: shift reads the row before
the one it writes (another block may compute it), colsum reduces down
the columns. tests/wrap/run_blocking.py checks which kernels -O3 blocks;
here each must compute NumPy's values at sizes of one block (the runs
under 32768 elements) and of many (16 blocks of rows)."""
import numpy as np

# dfc-test: sizes N=2,M=5 | N=37,M=29 | N=300,M=200 | N=70001,M=1
# dfc-test: range X=-5,5


# dfc: softmax_rows(X: float64[N, M])
def softmax_rows(X):
    m = np.max(X, axis=1, keepdims=True)
    e = np.exp(X - m)
    return e / np.sum(e, axis=1, keepdims=True)


# dfc: layernorm(X: float64[N, M], w: float64[M], b: float64[M])
def layernorm(X, w, b):
    mu = X.mean(axis=1, keepdims=True)
    var = X.var(axis=1, keepdims=True)
    return (X - mu) / np.sqrt(var + 1e-5) * w + b


# dfc: chain(x: float64[N], y: float64[N])
def chain(x, y):
    t = x * 2.0 + y
    u = np.zeros_like(x)
    u[1:] = t[1:] * y[:-1] + x[1:]
    return t, u


# dfc: center_inplace(X: float64[N, M])
def center_inplace(X):
    X -= X.mean(axis=1, keepdims=True)
    X *= np.abs(X).max(axis=1, keepdims=True)


# dfc: inner_rows(X: float64[N, M])
def inner_rows(X):
    y = X * 0.5
    y[1:-1] += X[1:-1] * X[1:-1]
    return y - X


# dfc: shift(X: float64[N, M])
def shift(X):
    d = X * 2.0
    X[1:] += d[:-1]
    return d


# dfc: colsum(X: float64[N, M])
def colsum(X):
    s = np.sum(X, axis=0)
    return X / (s * s + 1.0)
