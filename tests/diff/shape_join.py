"""np.concatenate (axis, axis=None, promotion), np.stack, np.hstack,
np.vstack, np.column_stack, np.expand_dims, np.squeeze and
np.broadcast_to."""
import numpy as np

# dfc-test: sizes N=6,M=4,K=3 | N=5,M=7,K=2


# dfc: joins(A: float64[N, M], B: float64[K, M], x: float64[N], y: int32[N])
def joins(A, B, x, y):
    """Concatenations along both axes, flattened, with promotion."""
    a = np.concatenate((A, B))
    b = np.concatenate([A, A * 2.0], axis=1)
    c = np.concatenate((x, y), axis=0)
    d = np.concatenate((A, B), axis=None)
    e = np.concatenate((A.T, B.T), axis=-1)
    return a, b, c, d, e


# dfc: stacks(x: float64[N], y: float64[N], A: float64[N, M], z: float64[M])
def stacks(x, y, A, z):
    """stack on new axes, hstack, vstack, column_stack."""
    s0 = np.stack((x, y))
    s1 = np.stack([x, y, x + y], axis=1)
    s2 = np.stack((A, A), axis=-1)
    h = np.hstack((x, y, x))
    h2 = np.hstack((A, A[:, :1]))
    v = np.vstack((x, y))
    v2 = np.vstack((A, z))
    cs = np.column_stack((x, A, y))
    return s0, s1, s2, h, h2, v, v2, cs


# dfc: dims(A: float64[N, M], c: float64[N, 1])
def dims(A, c):
    """expand_dims and squeeze views, written through."""
    e = np.expand_dims(A, 0)
    f = np.expand_dims(A, axis=(0, 3))
    s = np.squeeze(c)
    s[0] = 9.0
    t = np.squeeze(np.expand_dims(A, 1), axis=1)
    t[0, 0] = -3.0
    return e * 1.0, f.sum(axis=3), c.squeeze(axis=1) + 0.0, A[0, 0]


# dfc: bcast(x: float64[M], A: float64[N, M], s: float64)
def bcast(x, A, s):
    """broadcast_to: read-only views that read the source."""
    b = np.broadcast_to(x, (A.shape[0], A.shape[1]))
    c = np.broadcast_to(x[np.newaxis, :], A.shape)
    d = np.broadcast_to(s, (3, 2))
    x[0] = 4.0
    return b + A, c.sum(axis=0), d * 1.0
