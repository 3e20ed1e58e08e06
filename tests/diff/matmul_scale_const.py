"""Products scaled by constants and scalar expressions, folded into the
matmul by matmul-scaling at -O3 (alpha and beta computed into 0-d
transients first; a division by s becomes alpha = 1 / s, within an ulp of
NumPy's P / s, exact for powers of two): gemm, gemv and dot forms, float32,
attention's (Q @ K.T) / sqrt(d) before a softmax, and a loop."""
import numpy as np

# dfc-test: sizes N=6,M=5,K=7 | N=1,M=2,K=1 | N=3,M=2,K=0 | N=37,M=41,K=29 | N=90,M=70,K=80


# dfc: const_gemm(A: float64[N, K], B: float64[K, M], C: float64[N, M])
def const_gemm(A, B, C):
    P = 2.0 * (A @ B)
    Q = (A @ B) * 0.1
    R = (A @ B) / 3.0
    S = (A @ B) / 4
    C[:, :] = 0.5 * C - 2.0 * (A @ B)
    return P, Q, R, S


# dfc: expr_scales(A: float64[N, K], B: float64[K, M], x: float64[K], a: float64)
def expr_scales(A, B, x, a):
    """Scalar expressions of arguments and sizes."""
    P = (A @ B) / np.sqrt(A.shape[1])
    q = (a * a + 1.0) * (A @ x)
    r = (x @ x) / K_of(x)
    return P, q, r


def K_of(x):
    return x.shape[0]


# dfc: attention_scores(Q: float64[N, K], Kt: float64[M, K])
def attention_scores(Q, Kt):
    S = (Q @ Kt.T) / np.sqrt(Q.shape[1])
    e = np.exp(S - S.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# dfc: const_f32(A: float32[N, K], B: float32[K, M], C: float32[N, M], y: float32[N], x: float32[K])
def const_f32(A, B, C, y, x):
    C += 0.25 * (A @ B)
    y[:] = (A @ x) / 3.0 + 2.0 * y
    return (A @ B) / np.sqrt(A.shape[1])


# dfc: const_loop(A: float64[N, N], x: float64[N], steps: int64)
def const_loop(A, x, steps):
    """A scaled product in a loop (a power iteration with a damping)."""
    y = x.copy()
    for _ in range(steps):
        y = 0.5 * (A @ y) / N_of(A)
    return y


def N_of(A):
    return A.shape[0]
