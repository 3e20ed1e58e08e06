"""Dense linear algebra of the corpus: the PolyBench BLAS-like kernels
(atax, bicg, gemver, gesummv, mvt, gemm, syrk, syr2k, trmm, symm, 2mm, 3mm,
doitgen) and a few textbook products (Kronecker-free rank-1 updates, Gram
matrix, projection), as NumPy users write them with @ and slices."""
import numpy as np

# dfc-test: sizes N=8,M=6,K=7,L=5,P=4,Q=3 | N=13,M=11,K=9,L=10,P=6,Q=5
# dfc-test: args alpha=1.5 beta=1.2


# dfc: atax(A: float64[M, N], x: float64[N])
def atax(A, x):
    """y = A^T (A x)."""
    return (A @ x) @ A


# dfc: bicg(A: float64[N, M], p: float64[M], r: float64[N])
def bicg(A, p, r):
    """The two products of a BiCG step: s = A^T r and q = A p."""
    return r @ A, A @ p


# dfc: gemver(alpha: float64, beta: float64, A: float64[N, N], u1: float64[N], v1: float64[N], u2: float64[N], v2: float64[N], w: float64[N], x: float64[N], y: float64[N], z: float64[N])
def gemver(alpha, beta, A, u1, v1, u2, v2, w, x, y, z):
    """Rank-two update of A, then x = beta A^T y + z and w = alpha A x."""
    A += np.outer(u1, v1) + np.outer(u2, v2)
    x += beta * y @ A + z
    w += alpha * A @ x


# dfc: gesummv(alpha: float64, beta: float64, A: float64[N, N], B: float64[N, N], x: float64[N])
def gesummv(alpha, beta, A, B, x):
    """y = alpha A x + beta B x."""
    return alpha * A @ x + beta * B @ x


# dfc: mvt(x1: float64[N], x2: float64[N], y_1: float64[N], y_2: float64[N], A: float64[N, N])
def mvt(x1, x2, y_1, y_2, A):
    """x1 += A y_1 and x2 += A^T y_2."""
    x1 += A @ y_1
    x2 += y_2 @ A


# dfc: gemm(alpha: float64, beta: float64, C: float64[N, M], A: float64[N, K], B: float64[K, M])
def gemm(alpha, beta, C, A, B):
    """C = alpha A B + beta C, in place."""
    C[:] = alpha * A @ B + beta * C


# dfc: syrk(alpha: float64, beta: float64, C: float64[N, N], A: float64[N, M])
def syrk(alpha, beta, C, A):
    """Symmetric rank-k update of the lower triangle of C."""
    for i in range(A.shape[0]):
        C[i, :i + 1] *= beta
        for k in range(A.shape[1]):
            C[i, :i + 1] += alpha * A[i, k] * A[:i + 1, k]


# dfc: syr2k(alpha: float64, beta: float64, C: float64[N, N], A: float64[N, M], B: float64[N, M])
def syr2k(alpha, beta, C, A, B):
    """Symmetric rank-2k update of the lower triangle of C."""
    for i in range(A.shape[0]):
        C[i, :i + 1] *= beta
        for k in range(A.shape[1]):
            C[i, :i + 1] += alpha * (A[:i + 1, k] * B[i, k] + B[:i + 1, k] * A[i, k])


# dfc: trmm(alpha: float64, A: float64[M, M], B: float64[M, N])
def trmm(alpha, A, B):
    """B = alpha A^T B with A unit lower triangular."""
    for i in range(B.shape[0]):
        for j in range(B.shape[1]):
            B[i, j] += A[i + 1:, i] @ B[i + 1:, j]
    B *= alpha


# dfc: symm(alpha: float64, beta: float64, C: float64[M, N], A: float64[M, M], B: float64[M, N])
def symm(alpha, beta, C, A, B):
    """C = alpha A B + beta C with only the lower triangle of A stored."""
    tmp = np.empty(C.shape[1])
    C *= beta
    for i in range(C.shape[0]):
        for j in range(C.shape[1]):
            C[:i, j] += alpha * B[i, j] * A[i, :i]
            tmp[j] = B[:i, j] @ A[i, :i]
        C[i, :] += alpha * B[i, :] * A[i, i] + alpha * tmp


# dfc: k2mm(alpha: float64, beta: float64, A: float64[N, K], B: float64[K, L], C: float64[L, M], D: float64[N, M])
def k2mm(alpha, beta, A, B, C, D):
    """D = alpha A B C + beta D."""
    D[:] = alpha * A @ B @ C + beta * D


# dfc: k3mm(A: float64[N, K], B: float64[K, M], C: float64[M, P], D: float64[P, L])
def k3mm(A, B, C, D):
    """G = (A B)(C D)."""
    E = A @ B
    F = C @ D
    return E @ F


# dfc: doitgen(A: float64[N, M, K], C4: float64[K, K])
def doitgen(A, C4):
    """Multiresolution kernel: every (r, q) fibre of A times C4."""
    for r in range(A.shape[0]):
        for q in range(A.shape[1]):
            A[r, q, :] = A[r, q, :] @ C4


# dfc: gram(X: float64[N, M])
def gram(X):
    """The Gram matrix of the columns of X, and its trace."""
    G = X.T @ X
    return G, np.trace(G)


# dfc: projection(A: float64[N, M], v: float64[N])
def projection(A, v):
    """Removes from v its components along each column of A in turn
    (classical Gram-Schmidt style projection, not normalised)."""
    r = v.copy()
    for j in range(A.shape[1]):
        a = A[:, j]
        r -= (a @ r) / (a @ a) * a
    return r


# dfc: kron_matvec(A: float64[N, N], B: float64[M, M], X: float64[N, M])
def kron_matvec(A, B, X):
    """(A kron B) vec(X) computed without forming the Kronecker product:
    A X B^T."""
    return A @ X @ B.T


# dfc: frobenius(A: float64[N, M], B: float64[N, M])
def frobenius(A, B):
    """Frobenius inner product, norms and the cosine between two matrices."""
    inner = np.sum(A * B)
    na = np.linalg.norm(A)
    nb = np.linalg.norm(B)
    return inner, na, nb, inner / (na * nb)
