"""np.einsum for the common contractions (explicit and implicit output,
traces and diagonals, three operands, scalars) and matrix products of
stacks of matrices (3-D @ 2-D, 3-D @ 3-D, broadcast batch axes, 1-D with
3-D)."""
import numpy as np

# dfc-test: sizes N=5,M=4,K=3,B=2 | N=2,M=1,K=1,B=1


# dfc: es_matmul(A: float64[N, K], C: float64[K, M])
def es_matmul(A, C):
    return np.einsum("ij,jk->ik", A, C)


# dfc: es_matmul_t(A: float64[K, N], C: float64[K, M])
def es_matmul_t(A, C):
    return np.einsum("ki,kj->ij", A, C)


# dfc: es_matvec(A: float64[N, M], x: float64[M])
def es_matvec(A, x):
    return np.einsum("ij,j->i", A, x)


# dfc: es_dot(x: float64[N], y: float64[N])
def es_dot(x, y):
    return np.einsum("i,i->", x, y)


# dfc: es_implicit(A: float64[N, K], C: float64[K, M])
def es_implicit(A, C):
    """Implicit output: letters used once, alphabetically ("ik")."""
    return np.einsum("ij,jk", A, C)


# dfc: es_implicit_order(A: float64[N, M])
def es_implicit_order(A):
    """"ji" implicitly means "ji->ij": a transpose."""
    return np.einsum("ji", A)


# dfc: es_trace(A: float64[N, N])
def es_trace(A):
    return np.einsum("ii", A)


# dfc: es_diag(A: float64[N, N])
def es_diag(A):
    return np.einsum("ii->i", A)


# dfc: es_outer(x: float64[N], y: float64[M])
def es_outer(x, y):
    return np.einsum("i,j->ij", x, y)


# dfc: es_three(A: float64[N, K], C: float64[K, M], x: float64[M])
def es_three(A, C, x):
    return np.einsum("ij,jk,k->i", A, C, x)


# dfc: es_batched(T: float64[B, N, K], W: float64[K, M])
def es_batched(T, W):
    return np.einsum("bik,kj->bij", T, W)


# dfc: es_sum_all(T: float64[B, N, K])
def es_sum_all(T):
    return np.einsum("bik->", T)


# dfc: es_rowsums(A: float64[N, M])
def es_rowsums(A):
    return np.einsum("ij->i", A)


# dfc: es_elementwise(A: float64[N, M], C: float64[N, M])
def es_elementwise(A, C):
    return np.einsum("ij,ij->ij", A, C)


# dfc: es_int(a: int32[N, K], b: int32[K, M])
def es_int(a, b):
    return np.einsum("ij,jk->ik", a, b)


# dfc: es_float32(a: float32[N, K], b: float64[K])
def es_float32(a, b):
    return np.einsum("ij,j->i", a, b)


# dfc: es_views(A: float64[N, M])
def es_views(A):
    return np.einsum("ij,kj->ik", A[:, 1:], A[:, :-1])


# dfc: bm_3d_2d(T: float64[B, N, K], W: float64[K, M])
def bm_3d_2d(T, W):
    return T @ W


# dfc: bm_3d_3d(T: float64[B, N, K], U: float64[B, K, M])
def bm_3d_3d(T, U):
    return np.matmul(T, U)


# dfc: bm_2d_3d(A: float64[N, K], U: float64[B, K, M])
def bm_2d_3d(A, U):
    return A @ U


# dfc: bm_broadcast(T: float64[B, 1, N, K], U: float64[3, K, M])
def bm_broadcast(T, U):
    return T @ U


# dfc: bm_vec(x: float64[K], U: float64[B, K, M], T: float64[B, N, K])
def bm_vec(x, U, T):
    return x @ U, T @ x


# dfc: bm_layer(X: float64[B, N, K], W: float64[K, M], b: float64[M])
def bm_layer(X, W, b):
    """A dense layer over a batch of sequences."""
    return np.maximum(X @ W + b, 0.0)


# dfc: bm_dot_3d_2d(T: float64[B, N, K], W: float64[K, M])
def bm_dot_3d_2d(T, W):
    return np.dot(T, W)
