"""Matrix products written into arguments and their views, products whose
output overlaps an operand, accumulation with += in loops."""
import numpy as np

# dfc-test: sizes N=6,M=4 | N=2,M=3
# dfc-test: args steps=3


# dfc: gemm_variants(C: float64[N, N], A: float64[N, M], B: float64[M, N])
def gemm_variants(C, A, B):
    """C += A B; C's upper-left block overwritten with its own product."""
    C += A @ B
    C[:, :] = C @ C.T * 0.1
    C[1:, :] = C[:-1, :] @ (A @ B) * 0.01


# dfc: self_product(A: float64[N, N], x: float64[N])
def self_product(A, x):
    """x = A x in place, A = A^T A in place, row i of A times A."""
    x[:] = A @ x
    A[:, :] = A.T @ A
    A[0, :] = A[0, :] @ A
    return x @ x


# dfc: accumulate(A: float64[N, M], steps: int64)
def accumulate(A, steps):
    """Sum of the powers of the Gram matrix, accumulated with +=."""
    G = A.T @ A / A.shape[0]
    S = np.zeros_like(G)
    P = np.zeros_like(G)
    for i in range(G.shape[0]):
        P[i, i] = 1.0
    for k in range(steps):
        P = P @ G
        S += P
    return S


# dfc: blocks(A: float64[N, N], B: float64[N, N])
def blocks(A, B):
    """Products of sub-blocks written into sub-blocks of a new matrix."""
    h = A.shape[0] // 2
    C = np.zeros_like(A)
    C[:h, :h] = A[:h, :h] @ B[:h, :h] + A[:h, h:] @ B[h:, :h]
    C[h:, h:] = A[h:, :] @ B[:, h:]
    C[:h, h:] = A[:h, ::2] @ B[::2, h:]
    return C
