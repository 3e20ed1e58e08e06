"""Writing through reshapes of arrays with a zero extent (nothing is
written) and of size 1, with slices of any step and mixed indices."""
import numpy as np

# dfc-test: sizes N=0,M=3,K=2 | N=4,M=0,K=3 | N=2,M=3,K=0 | N=1,M=1,K=1 | N=3,M=2,K=4


# dfc: slices(A: float64[N, M], x: float64[M])
def slices(A, x):
    """Flat and regrouped slices of a possibly empty matrix."""
    n, m = A.shape
    A.reshape(-1)[::2] = 1.0
    A.ravel()[::-3] += 2.0
    np.reshape(A, (m, n))[:, ::2] *= 3.0
    A.reshape(m, n)[::-1, :] -= 0.5
    A.reshape(-1)[...] += 1.0
    np.ravel(A)[::-1] += A.reshape(-1)
    return A, x.reshape(1, -1).reshape(-1)[::-1] + 0.0


# dfc: slabs(T: float64[N, M, K], w: float64[K])
def slabs(T, w):
    """A 3-D array through 2-D reshapes: rows of K and columns."""
    n, m, k = T.shape
    T.reshape(n * m, k)[:, :] += w
    T.reshape(n * m, k)[::2, :] = w[::-1]
    T.reshape(k, n * m)[::-2, :] *= 2.0
    T.reshape(-1)[None, ::4] = -1.0
    B = np.ones((k, n, m))
    B.reshape(k * n, m)[::3] = 0.0
    return T, B
