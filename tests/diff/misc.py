"""Bool parameters, return forms (the argument itself, views of it, the same
array twice, integer parameters), halves with floor-divided bounds,
broadcasting of (N, 1) with (1, M), 3-D transposes, bool arithmetic."""
import numpy as np

# dfc-test: sizes N=9,M=4,K=3 | N=2,M=1,K=2
# dfc-test: args flag=True


# dfc: bool_param(x: float64[N], flag: bool)
def bool_param(x, flag):
    """A bool parameter in conditions and arithmetic."""
    if flag and x[0] > 0.0:
        y = x * 2.0
    else:
        y = x * 3.0
    return y, not flag, flag + 1


# dfc: return_forms(x: float64[N], n: int64)
def return_forms(x, n):
    """Returns the argument, a view of it and integer expressions."""
    return x, x[1:], n, n / 2, n // 2, x.shape[0] * 1.5


# dfc: same_twice(x: float64[N])
def same_twice(x):
    """The same array returned twice, and one of its elements."""
    y = x * 2.0
    return y, y, y[0]


# dfc: halves(x: float64[N])
def halves(x):
    """Slices with bounds from floor divisions of the size."""
    h = x.shape[0] // 2
    a = x[:h]
    b = x[h:2 * h]
    return a + b, x[h:], x[:len(x) // 2 + 1]


# dfc: outer_bcast(x: float64[N], y: float64[M])
def outer_bcast(x, y):
    """A column (N, 1) and a row (1, M) broadcast against each other."""
    X = np.zeros((x.shape[0], 1))
    X[:, 0] = x
    Y = np.ones((1, y.shape[0]))
    Y[0, :] = y
    return X * Y, X + Y, X - np.sum(Y, axis=1, keepdims=True)


# dfc: t3(A: float64[N, M, K])
def t3(A):
    """The transpose of a 3-D array reverses all axes."""
    B = A.T
    return B, np.sum(A.T, axis=0), B[0, :, 1:], B[:, :, 0] * 2.0


# dfc: bool_arith(x: float64[N])
def bool_arith(x):
    """bool + bool is or, bool * bool is and; with ints and floats they promote."""
    p = x > 1.0
    q = x < 0.7
    return p + q, p * q, p - 0, np.sum(p * 1.5), -(p * 1), p / 2
