"""Parallel maps and naive matrix products on both sides of their run-time
`if` clause: tiny sizes run on the calling thread, large ones fork (work
above 32768). Loops of small operations (an iterative solver) too."""
import numpy as np

# dfc-test: sizes N=5,M=3 | N=40000,M=2 | N=190,M=180
# dfc-test: args iters=4


# dfc: axpby(a: float64, x: float64[N], b: float64, y: float64[N])
def axpby(a, x, b, y):
    return a * x + b * y


# dfc: scale2d(A: float64[N, M], s: float64)
def scale2d(A, s):
    return np.tanh(A * s) + 1.0


# dfc: colsum(A: float64[N, M])
def colsum(A):
    return np.sum(A, axis=0)


# dfc: total(x: float64[N])
def total(x):
    return np.sum(x * x)


# dfc: dots(x: float64[N], y: float64[N])
def dots(x, y):
    return x @ y, np.dot(x, x)


# dfc: sweeps(x: float64[N], iters: int64)
def sweeps(x, iters):
    y = x.copy()
    for it in range(iters):
        y = 0.5 * y + 0.25 * x
        y = y / np.sqrt(y @ y)
    return y
