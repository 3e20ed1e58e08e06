"""matmul-scaling folds constant scale factors and scalar expressions too:
a state before the matmul's computes each into a 0-d transient (1 / s for
a division), which the matmul reads as _alpha or _beta: 2.0 * P + C (BLAS),
P / sqrt(K) (naive), and a gemv with a constant beta and a computed alpha
(BLAS)."""
import numpy as np

# dfc-test: script tests/xform/matmul_scaling_constant.recipe.yaml
# dfc-test: sizes N=20,K=30,M=25 | N=1,K=1,M=1 | N=3,K=0,M=2


# dfc: kern(a: float64, C: float64[N, M], A: float64[N, K], B: float64[K, M], D: float64[N, M], x: float64[K], y: float64[N])
def kern(a, C, A, B, D, x, y):
    C[:, :] = 2.0 * (A @ B) + C
    D[:, :] = (A @ B) / np.sqrt(A.shape[1])
    y[:] = 0.5 * y + (A @ x) * (a + 1.0)
