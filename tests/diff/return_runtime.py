"""Returned arrays whose size is computed at run time (a mask's count, an
integer read from the data): the kernel allocates them and hands them to
the caller (docs/cli.md), for 1-D and 2-D results, several returns, a
return inside a branch, other dtypes and empty results."""
import numpy as np

# dfc-test: sizes N=13,M=4 | N=1,M=3 | N=7,M=1
# dfc-test: args t=1.0
# dfc-test: range x=-1,3 A=-1,3 w=0,9


# dfc: ret_mask(x: float64[N], t: float64)
def ret_mask(x, t):
    return x[x > t]


# dfc: ret_mask_sum(x: float64[N], t: float64)
def ret_mask_sum(x, t):
    m = x > t
    return x[m], np.sum(x[m])


# dfc: ret_keep_scaled(x: float64[N])
def ret_keep_scaled(x):
    y = x[x > 0]
    return y * 2.0


# dfc: ret_rows(A: float64[N, M], w: int64[N])
def ret_rows(A, w):
    return A[w > 3]


# dfc: ret_rows_and_cols(A: float64[N, M], w: int64[N], u: int64[M])
def ret_rows_and_cols(A, w, u):
    return A[w > 4] + 1.0, A[:, u > 2], np.sum(A)


# dfc: ret_arange(x: float64[N])
def ret_arange(x):
    n = int(x[0] * 4.0)
    return np.arange(n)


# dfc: ret_zeros(x: float64[N])
def ret_zeros(x):
    n = int(x[0])
    return np.zeros(n)


# dfc: ret_empty(x: float64[N])
def ret_empty(x):
    return x[x > 10.0]


# dfc: ret_ints(w: int64[N])
def ret_ints(w):
    return w[w % 2 == 0] * 3


# dfc: ret_flags(x: float64[N], t: float64)
def ret_flags(x, t):
    return (x > t)[x > 0.5]


# dfc: ret_branch(x: float64[N], t: float64)
def ret_branch(x, t):
    y = x[x > t]
    if y.shape[0] > 2:
        return y
    return y * 0.5


# dfc: ret_last(x: float64[N], t: float64)
def ret_last(x, t):
    k = int(x[0] * 3.0 + 3.0)
    r = np.ones(k + 1)
    r[0] = np.sum(x)
    return np.sum(x > t), r


# dfc: ret_prefix(x: float64[N])
def ret_prefix(x):
    k = int(x[0] * 5.0)
    return x[:k]
