"""Scaled products folded into the matmul (matmul-scaling at -O3: BLAS's
alpha and beta) and the forms it must leave alone: constants, outputs that
are operands, other terms, integer dtypes. a0 and b0 are 0 at run time and
the destinations hold Inf/NaN there, which NumPy propagates (0 * Inf)."""
import numpy as np

# dfc-test: sizes N=6,M=5,K=7 | N=1,M=2,K=1 | N=37,M=41,K=29
# dfc-test: args a0=0.0 b0=0.0


# dfc: gemm_forms(alpha: float64, beta: float64, C: float64[N, M], D: float64[N, M], E: float64[N, M], A: float64[N, K], B: float64[K, M])
def gemm_forms(alpha, beta, C, D, E, A, B):
    """alpha*P + beta*C in both orders, P*alpha, C += P, beta*D + P."""
    C[:, :] = alpha * (A @ B) + beta * C
    D[:, :] = D * beta + (A @ B) * alpha
    E += A @ B
    C[:] = beta * C + A @ B
    E[:, :] = alpha * (A @ B)


# dfc: gemv_forms(alpha: float64, beta: float64, A: float64[N, K], x: float64[K], y: float64[N], z: float64[K])
def gemv_forms(alpha, beta, A, x, y, z):
    """gemv with alpha/beta, a transposed matrix, +=, rows in a loop."""
    y[:] = alpha * (A @ x) + beta * y
    z[:] = alpha * (A.T @ y) + beta * z
    y += A @ x
    z += y @ A


# dfc: views(alpha: float64, beta: float64, C: float64[N, M], A: float64[N, K], B: float64[K, M], G: float64[K, N, M])
def views(alpha, beta, C, A, B, G):
    """Destinations that are slices, rows and planes of bigger arrays."""
    C[1:, :] = alpha * (A[1:, :] @ B) + beta * C[1:, :]
    for i in range(C.shape[0]):
        C[i, :] = alpha * (A[i, :] @ B) + beta * C[i, :]
    G[0, :, :] = alpha * (A @ B) + beta * G[0, :, :]
    G[-1] += A.T.T @ B
    C[:, 1:] = beta * C[:, 1:] + alpha * (A @ B[:, 1:])


# dfc: transposed_scaled(alpha: float64, beta: float64, C: float64[N, M], A: float64[K, N], B: float64[M, K])
def transposed_scaled(alpha, beta, C, A, B):
    """alpha * A^T B^T + beta * C: Trans flags and scaling together."""
    C[:, :] = alpha * (A.T @ B.T) + beta * C
    C += A.T @ B.T


# dfc: float32_scaled(alpha: float32, beta: float32, C: float32[N, M], A: float32[N, K], B: float32[K, M], y: float32[N], x: float32[K])
def float32_scaled(alpha, beta, C, A, B, y, x):
    """sgemm and sgemv with alpha and beta."""
    C[:, :] = alpha * (A @ B) + beta * C
    y[:] = alpha * (A @ x) + beta * y


# dfc: zero_scales(a0: float64, b0: float64, C: float64[N, M], A: float64[N, K], B: float64[K, M], y: float64[N], x: float64[K])
def zero_scales(a0, b0, C, A, B, y, x):
    """alpha or beta 0 at run time with Inf in the data: NumPy's NaNs."""
    C[0, 0] = np.inf
    y[0] = np.inf
    C[:, :] = a0 * (A @ B) + b0 * C
    y[:] = 2.0 * y
    y[:] = a0 * (A @ x) + b0 * y
    B[0, 0] = np.inf
    C[:, :] = a0 * (A @ B) + 0.5 * C


# dfc: refused_forms(alpha: float64, beta: float64, C: float64[N, N], D: float64[N, N], A: float64[N, N], I: int64[N, N], J: int64[N, N])
def refused_forms(alpha, beta, C, D, A, I, J):
    """Left as a product then a map: constant scales, an output that is an
    operand, a third term, another array than the destination, ints."""
    C[:, :] = 2.0 * (A @ C) + C
    C[:, :] = alpha * (C @ A) + beta * C
    C[:, :] = alpha * (A @ A) + beta * C + 1.0
    C[:, :] = alpha * (A @ A) + beta * D
    D[:, :] = alpha * (A @ A) - beta * D
    J += I @ J.T
    I[:, :] = 3 * (J @ J) + I
