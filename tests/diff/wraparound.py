"""NumPy's wrap-around of negative indices and slice bounds that depend on
loop variables and are negative only for some iterations."""
import numpy as np

# dfc-test: sizes N=7,M=5 | N=4,M=4


# dfc: window_sum(x: float64[N])
def window_sum(x):
    """Trailing windows x[i-2:i+1]: NumPy wraps the negative start, so the first windows are empty."""
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        out[i] = np.sum(x[i - 2:i + 1])
    return out


# dfc: head_neg(x: float64[N])
def head_neg(x):
    """x[:i-3]: a stop that is negative for small i counts from the end."""
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        out[i] = np.sum(x[:i - 3])
    return out


# dfc: periodic2d(A: float64[N, M])
def periodic2d(A):
    """Periodic neighbours through negative loop-dependent indices."""
    B = np.zeros_like(A)
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            B[i, j] = A[i - 1, j] + A[i, j - 1] + A[i - 2, j - 3]
    return B


# dfc: tail_wrap(x: float64[N])
def tail_wrap(x):
    """Starts -i-1 and i-N, both negative, count from the end."""
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        out[i] = np.sum(x[-i - 1:]) - np.sum(x[i - x.shape[0]:])
    return out


# dfc: wrap_write(x: float64[N])
def wrap_write(x):
    """Writes through a wrapped index (x[-1] at i = 0)."""
    for i in range(x.shape[0]):
        x[i - 1] += x[i] * 0.5
    return x[-1]


# dfc: neg_step_loop(x: float64[N])
def neg_step_loop(x):
    """Loop-dependent starts and stops with negative steps."""
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        out[i] = np.sum(x[i::-1]) + np.sum(x[:i:-2])
    return out
