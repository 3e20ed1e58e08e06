"""Writing through reshapes (np.reshape, .reshape, .ravel, np.ravel) of
C-contiguous arrays: NumPy's reshape is then a view, so x.reshape(...)[i] = v
and x.reshape(...)[i] op= v write x at the reshape's index arithmetic."""
import numpy as np

# dfc-test: sizes N=6,M=4,K=3 | N=5,M=7,K=2 | N=1,M=1,K=1 | N=3,M=1,K=5


# dfc: flat_items(A: float64[N, M], x: float64[N])
def flat_items(A, x):
    """Integer indices of a flat reshape: constant, negative, from sizes."""
    n, m = A.shape
    A.reshape(-1)[0] = 7.0
    A.reshape(n * m)[-1] += 2.0
    A.ravel()[n * m // 2] *= 3.0
    np.ravel(A)[m - 1] = x[0]
    np.reshape(A, (n * m,))[(n - 1) * m] -= 1.5
    x.reshape(n, 1).reshape(-1)[-1] = 9.0
    return A.sum()


# dfc: flat_slices(A: float64[N, M])
def flat_slices(A):
    """Slices of any step through a flat reshape, and op= through them."""
    n, m = A.shape
    A.reshape(-1)[::3] = 1.0
    A.reshape(n * m)[1::2] += 0.5
    A.ravel()[::-2] *= 2.0
    np.ravel(A)[n * m - 1:0:-3] -= 4.0
    A.reshape(-1)[1:] += A.reshape(-1)[:-1]
    return A


# dfc: regrouped(A: float64[N, M], v: float64[N])
def regrouped(A, v):
    """Reshapes that split and merge dimensions, with mixed indices."""
    n, m = A.shape
    A.reshape(m, n)[0, :] += 1.0
    A.reshape(m, n)[:, n - 1] = 5.0
    A.reshape(m, n)[m - 1, ::2] *= -1.0
    A.reshape(m, n)[::-1, 0] -= 0.25
    A.reshape(m, n)[:, :] += v
    np.reshape(A, (1, m, n, 1))[0, :, 0, 0] = 3.0
    return A


# dfc: three_d(T: float64[N, M, K], w: float64[K])
def three_d(T, w):
    """A 3-D array written through 2-D and 1-D reshapes."""
    n, m, k = T.shape
    T.reshape(n, m * k)[n - 1, ::2] *= 2.0
    T.reshape(-1, k)[1:, :] += w
    T.reshape(k, n * m)[:, 0] = w
    T.reshape(n * m * k)[::5] = -1.0
    T.reshape(n * m, k)[:, -1] = T.reshape(n * m, k)[:, 0]
    return T


# dfc: in_loops(A: float64[N, M], x: float64[M])
def in_loops(A, x):
    """Writes inside loops: the index is a loop variable."""
    n, m = A.shape
    for i in range(n * m):
        A.reshape(-1)[i] += i * 0.5
    for j in range(m):
        A.reshape(m, n)[j, :] *= x[j]
    return A


# dfc: scatter(A: float64[N, M], idx: int64[K], vals: float64[K])
def scatter(A, idx, vals):
    """Integer arrays and run-time integers as indices (the last write of a
    repeated index wins, as in NumPy)."""
    n, m = A.shape
    A.reshape(-1)[idx % (n * m)] = vals
    A.ravel()[idx % (n * m)] += 1.0
    k = idx[0] % m
    A.reshape(m, n)[k, :] = 0.5
    A.reshape(m, n)[k] += vals[0]
    return A


# dfc: views(A: float64[N, M], T: float64[N, M, K])
def views(A, T):
    """Contiguous views of arguments (a row, leading rows, one slab)."""
    n, m = A.shape
    A[n - 1].reshape(m)[::2] = 2.0
    A[n - 1:].reshape(-1)[0] = -3.0
    T[0].reshape(-1)[1::2] += 10.0
    T[n - 1, :, :].reshape(m * T.shape[2])[-1] = 4.0
    return A, T


# dfc: transients(A: float64[N, M], x: float64[M])
def transients(A, x):
    """Arrays the kernel makes, and dtypes other than float64."""
    n, m = A.shape
    B = np.zeros((n, m))
    B.reshape(-1)[::2] = 1.0
    B.reshape(m, n)[0] += x[0]
    C = A * 2.0
    C.ravel()[1::3] = -1.0
    I = np.arange(n * m).reshape(n, m)
    I.reshape(-1)[::2] *= 3
    F = A.astype(np.float32)
    F.reshape(-1)[0] = 0.5
    return B, C, I, F


# dfc: ints(P: int32[N, M], q: int64[N])
def ints(P, q):
    """Integer arrays: NumPy's same_kind casting for op=."""
    n, m = P.shape
    P.reshape(-1)[::2] += 3
    P.ravel()[-1] = 100
    P.reshape(m, n)[0] *= 2
    q.reshape(n, 1, 1).reshape(-1)[0] -= 5
    return P, q


def bump(x):
    x.reshape(-1)[0] += 1.0
    np.ravel(x)[-1] = 8.0


# dfc: aliases(A: float64[N, M])
def aliases(A):
    """Views of the array see writes through its reshapes; so do helpers'
    writes through reshapes of their arguments; new axes and '...'."""
    B = A.T
    np.ravel(A)[0] = 5.0
    A.reshape(-1)[None, -1] = 6.0
    A.reshape(A.shape[1], -1)[...] *= 2.0
    bump(A)
    bump(A[A.shape[0] - 1])
    return B + 0.0, A


# dfc: unit_dims(U: float64[N, 1, K], z: complex128[N, K])
def unit_dims(U, z):
    """Constant extent-1 dimensions inside the reshaped array; complex."""
    n, _, k = U.shape
    U.reshape(-1)[::2] = 1.0
    U.reshape(k, n)[0] += 2.0
    U.reshape(n * k, 1)[-1, 0] = -2.0
    z.reshape(-1)[1::2] *= 1j
    z.ravel()[0] = 3.0 - 1j
    return U, z
