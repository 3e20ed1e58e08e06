"""matmul-scaling folds the scaling of a product into the matmul: a gemv
whose matrix is read transposed, with alpha and beta (expanded naive),
C += A @ B (WCR sum, expanded with BLAS), and a row of a bigger array
(alpha only, naive)."""
import numpy as np

# dfc-test: script tests/xform/matmul_scaling_apply.recipe.yaml
# dfc-test: sizes N=20,K=30,M=25 | N=1,K=1,M=1 | N=3,K=0,M=2


# dfc: kern(alpha: float64, beta: float64, A: float64[K, N], x: float64[K], y: float64[N], C: float64[N, M], B: float64[N, M], G: float64[N, K], H: float64[N, K])
def kern(alpha, beta, A, x, y, C, B, G, H):
    y[:] = alpha * (A.T @ x) + beta * y
    C += G @ A @ B
    H[-1, :] = (y @ G) * alpha
