"""Dense matrix multiplication in BLAS style: C = alpha A B + beta C."""
import numpy as np

# dfc-test: sizes N=20,M=30,K=25 | N=64,M=33,K=70


# dfc: gemm(alpha: float64, beta: float64, C: float64[N, M], A: float64[N, K], B: float64[K, M])
def gemm(alpha, beta, C, A, B):
    """Overwrites C with alpha * A @ B + beta * C."""
    C[:, :] = alpha * (A @ B) + beta * C


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    A = rng.random((50, 40))
    B = rng.random((40, 30))
    C = rng.random((50, 30))
    gemm(1.5, 0.5, C, A, B)
    print("gemm: 50x40 @ 40x30, sum of C", np.sum(C))
