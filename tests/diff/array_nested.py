"""np.array of nested lists and tuples written in the call: literals,
kernel scalars and arrays, with NumPy's dtype inference over all the
elements, and dtype=."""
import numpy as np

# dfc-test: sizes N=4 | N=1


# dfc: literals()
def literals():
    return (np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1, 2, 3], [4, 5, 6]]),
            np.array([[1, 2], [3.5, 4]]), np.array([[True, False], [False, True]]),
            np.array([[[1, 2]], [[3, 4]]], dtype=np.float32), np.array(((1, 2), [3, 4])),
            np.array([[1, 2j], [3, 4]]), np.array([[True, 2], [3, 4]]))


# dfc: rotation(c: float64, s: float64, v: float64[2])
def rotation(c, s, v):
    R = np.array([[c, -s], [s, c]])
    return R @ v, R


# dfc: mixed(a: int32, b: float64, k: int64, x: float64[N], y: float64[N])
def mixed(a, b, k, x, y):
    return (np.array([[a, b], [k, 1]]), np.array([[a, 2], [3, a]]),
            np.array([[a, k]], dtype=np.int16), np.array([x, y]),
            np.array([[x, y], [y, x]]), np.array([[x[0], y[0]], [x[-1], 2.0 * y[-1]]]),
            np.array([[a, b]]).shape[0])


# dfc: stencil(u: float64[N, N])
def stencil(u):
    w = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
    return w * u[0, 0] + w.sum()
