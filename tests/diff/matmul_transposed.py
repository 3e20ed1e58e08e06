"""Matrix products that read an operand transposed without copying it (the
matmul node's transpose flag, BLAS's Trans): .T, np.transpose, .transpose()
and swapaxes in every operand position, slices of transposes, transposes of
slices (strided ones fall back to a copy), float32 and non-square shapes."""
import numpy as np

# dfc-test: sizes N=7,M=5,K=6 | N=1,M=3,K=2 | N=40,M=33,K=65


# dfc: gemm_positions(A: float64[K, N], B: float64[M, K], C: float64[N, K], D: float64[K, M])
def gemm_positions(A, B, C, D):
    """A^T D, C B^T, A^T B^T, and np.dot / np.matmul spellings."""
    P = A.T @ D
    Q = C @ B.T
    R = A.T @ B.T
    S = np.dot(A.T, D)
    T = np.matmul(C, np.transpose(B))
    U = D.transpose() @ C.swapaxes(0, 1)
    return P, Q, R, S, T, U


# dfc: gemv_positions(A: float64[K, N], x: float64[K], y: float64[N])
def gemv_positions(A, x, y):
    """A^T x and y A^T (each read in A's storage order), np.dot spellings."""
    p = A.T @ x
    q = y @ A.T
    r = np.dot(A.T, x)
    s = np.dot(y, np.transpose(A))
    return p, q, r, s


# dfc: slices_of_transposes(A: float64[K, N], B: float64[K, M], x: float64[K])
def slices_of_transposes(A, B, x):
    """Slices of transposes and transposes of slices with unit row steps."""
    P = A.T[1:, :] @ B
    Q = A[1:, :].T @ B[1:, :]
    R = A[:, :-1].T @ B[:, 1:]
    q = A[:-1, 1:].T @ x[1:]
    r = x[:-1] @ B[:-1, :].T.T
    S = B[::2, :].T @ A[::2, :]
    return P, Q, R, q, r, S


# dfc: strided_transposes(A: float64[K, N], B: float64[K, M], x: float64[M])
def strided_transposes(A, B, x):
    """Transposes of views with a step along their rows: copied first."""
    P = A[:, ::2].T @ B
    q = B[:, ::2].T.T @ x[::2]
    R = B[::-1, :].T @ A
    S = A.T[::2, ::-1] @ B[::-1, :]
    return P, q, R, S


# dfc: gram_forms(X: float64[N, K])
def gram_forms(X):
    """X^T X and X X^T: both operands the same array, one transposed."""
    G = X.T @ X
    H = X @ X.T
    return G, H


# dfc: float32_transposed(A: float32[K, N], B: float32[M, K], x: float32[K])
def float32_transposed(A, B, x):
    """float32 operands read transposed: sgemm and sgemv with Trans."""
    P = A.T @ B.T
    q = A.T @ x
    r = x @ B.T
    return P, q, r


# dfc: mixed_dtypes(A: float32[K, N], B: float64[K, M], I: int64[K, N])
def mixed_dtypes(A, B, I):
    """Operands converted first (the copy is the conversion), ints naive."""
    P = A.T @ B
    Q = I.T @ I
    return P, Q


# dfc: in_loops(A: float64[N, N], x: float64[N])
def in_loops(A, x):
    """Transposed products inside a loop and written into views."""
    y = x.copy()
    Z = np.zeros_like(A)
    for it in range(3):
        y = A.T @ y / A.shape[0]
        Z[:, :] = A.T @ A + Z.T @ A.T * 0.01
    return y, Z
