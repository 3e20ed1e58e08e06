"""Matrix products large enough for OpenBLAS to use its threads (over
65536 * 4 multiply-adds), tall and wide: plain, transposed operands,
slices, scale factors and an accumulating output, float32, and products in
a loop next to parallel maps (an RNN's recurrence)."""
import numpy as np

# dfc-test: sizes N=97,M=61,K=83 | N=23,M=150,K=101 | N=3,M=2,K=4 | N=1,M=300,K=900


# dfc: large_plain(A: float64[N, K], B: float64[K, M])
def large_plain(A, B):
    return A @ B


# dfc: large_transposed(A: float64[K, N], B: float64[M, K], C: float64[N, K])
def large_transposed(A, B, C):
    """A^T B^T and C B^T: operands read down their columns."""
    return A.T @ B.T, C @ B.T


# dfc: large_slices(A: float64[N, K], B: float64[K, M])
def large_slices(A, B):
    """Sub-blocks: offsets and leading dimensions other than the extent."""
    return A[1:, 1:] @ B[1:, :-1]


# dfc: large_scaled(A: float64[N, K], B: float64[K, M], C: float64[N, M], alpha: float64, beta: float64)
def large_scaled(A, B, C, alpha, beta):
    """beta*C + alpha*(A@B) folded into the call, and C += A@B in place."""
    D = beta * C + alpha * (A @ B)
    C += A @ B
    return D


# dfc: large_f32(A: float32[N, K], B: float32[K, M], C: float32[N, M], alpha: float32)
def large_f32(A, B, C, alpha):
    C += alpha * (A @ B)
    return A @ B


# dfc: large_loop(X: float64[N, K], W: float64[K, K], steps: int64)
def large_loop(X, W, steps):
    """A product and a parallel map in a loop (an RNN's recurrence)."""
    H = X.copy()
    for _ in range(steps):
        H = np.tanh(H @ W) * 0.5 + X
    return H
