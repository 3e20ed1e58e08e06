"""matmul-scaling folds a scalar factor on an operand of a product into
the matmul: gesummv's two scaled gemv (_scale_a), a division on the right
operand of a gemm (_div_b) and a computed scale on the vector of a 1@2
product (evaluated first into a scalar, then _scale_a)."""
import numpy as np

# dfc-test: script tests/xform/matmul_scaling_operand.recipe.yaml
# dfc-test: sizes N=20,K=30,M=25 | N=1,K=1,M=1 | N=3,K=0,M=2


# dfc: kern(alpha: float64, beta: float64, A: float64[N, K], B: float64[N, K], x: float64[K], C: float64[K, M], D: float64[N, M], y: float64[M])
def kern(alpha, beta, A, B, x, C, D, y):
    g = alpha * A @ x + beta * B @ x
    D[:, :] = A @ (C / beta)
    y[:] = (x * (alpha + 1.0)) @ C
    return g
