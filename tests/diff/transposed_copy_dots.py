"""transposed-copy at -O3 for columns that dots read: a loop whose every
iteration takes two dots of a column of A and updates a vector with it
(linalg.py:projection) reads A from a transposed copy made once before
the loop, the dots and the update all along its rows; also a part of
each column (from the second row on), float32, a loop that writes A (no
copy: the control), and with_outer, whose loop also takes the N x 1
matrix A[:, j:j + 1] into a product of matrices, which must keep reading
A (a row of the copy would be a 1 x N matrix). The dots sum in another
order than NumPy's, so the default tolerances apply."""
import numpy as np

# dfc-test: sizes N=1,M=1 | N=9,M=7 | N=17,M=3 | N=40,M=33 | N=300,M=200


# dfc: projection(A: float64[N, M], v: float64[N])
def projection(A, v):
    r = v.copy()
    for j in range(A.shape[1]):
        a = A[:, j]
        r -= (a @ r) / (a @ a) * a
    return r


# dfc: projection_tail(A: float64[N, M], v: float64[N])
def projection_tail(A, v):
    r = v.copy()
    for j in range(A.shape[1]):
        a = A[1:, j]
        r[1:] -= (a @ r[1:]) / (a @ a + 1.0) * a
    return r


# dfc: projection32(A: float32[N, M], v: float32[N])
def projection32(A, v):
    r = v.copy()
    for j in range(A.shape[1]):
        a = A[:, j]
        r -= (a @ r) / (a @ a) * a
    return r


# dfc: normalize_columns(A: float64[N, M])
def normalize_columns(A):
    for j in range(A.shape[1]):
        a = A[:, j]
        A[:, j] = a / np.sqrt(a @ a)


# dfc: with_outer(A: float64[N, M], v: float64[N], w: float64[M])
def with_outer(A, v, w):
    r = v.copy()
    out = np.zeros((A.shape[0], 1))
    for j in range(A.shape[1]):
        a = A[:, j]
        r -= (a @ r) / (a @ a) * a
        out += A[:, j:j + 1] @ w[j:j + 1].reshape(1, 1)
    return r, out
