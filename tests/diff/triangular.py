"""Loops whose slice bounds depend on the loop variable: triangular solves,
Cholesky and LU factorisations, modified Gram-Schmidt. (A[k + 1:, k] /=
A[k, k]: inplace.py.)"""
import numpy as np

# dfc-test: sizes N=6 | N=17
# dfc-test: spd A


# dfc: forward_sub(L: float64[N, N], b: float64[N])
def forward_sub(L, b):
    """Solves L x = b with the lower triangle of L (diagonal shifted)."""
    x = np.zeros_like(b)
    for i in range(b.shape[0]):
        x[i] = (b[i] - np.dot(L[i, :i], x[:i])) / (L[i, i] + 2.0)
    return x


# dfc: back_sub(U: float64[N, N], b: float64[N])
def back_sub(U, b):
    """Solves U x = b with the upper triangle of U, from the last row up."""
    n = b.shape[0]
    x = np.zeros(n)
    for i in range(n - 1, -1, -1):
        x[i] = (b[i] - U[i, i + 1:] @ x[i + 1:]) / (U[i, i] + 2.0)
    return x


# dfc: cholesky(A: float64[N, N])
def cholesky(A):
    """Returns the lower Cholesky factor of the SPD matrix A."""
    n = A.shape[0]
    L = np.zeros((n, n))
    for j in range(n):
        L[j, j] = np.sqrt(A[j, j] - np.sum(L[j, :j] * L[j, :j]))
        for i in range(j + 1, n):
            L[i, j] = (A[i, j] - np.sum(L[i, :j] * L[j, :j])) / L[j, j]
    return L


# dfc: lu_inplace(A: float64[N, N])
def lu_inplace(A):
    """Doolittle LU without pivoting, in place (A is made diagonally dominant)."""
    n = A.shape[0]
    for i in range(n):
        A[i, i] += n
    for k in range(n - 1):
        for i in range(k + 1, n):
            A[i, k] = A[i, k] / A[k, k]
            for j in range(k + 1, n):
                A[i, j] -= A[i, k] * A[k, j]


# dfc: gram_schmidt(A: float64[N, N])
def gram_schmidt(A):
    """Modified Gram-Schmidt: Q with orthonormal columns and R upper."""
    n = A.shape[1]
    Q = A.copy()
    R = np.zeros((n, n))
    for k in range(n):
        R[k, k] = np.sqrt(np.dot(Q[:, k], Q[:, k]))
        Q[:, k] = Q[:, k] / R[k, k]
        for j in range(k + 1, n):
            R[k, j] = np.dot(Q[:, k], Q[:, j])
            Q[:, j] -= R[k, j] * Q[:, k]
    return Q, R


# dfc: tri_sums(A: float64[N, N])
def tri_sums(A):
    """Row sums of the strict lower triangle and column sums below the diagonal."""
    n = A.shape[0]
    r = np.zeros(n)
    c = np.zeros(n)
    for i in range(n):
        r[i] = np.sum(A[i, :i])
        c[i] = np.sum(A[i:, i])
    return r, c
