"""Single-precision kernels of the corpus: what scientists write when
memory bandwidth or a GPU habit pushes them to float32 -- a Jacobi sweep,
SAXPY-style updates, a float32 GEMM beside its float64 counterpart,
softmax, a 2-D convolution layer, a Horner polynomial with value-based
scalar promotion, and mixed float32/float64 and integer/float arithmetic
(NumPy 1.24 promotion rules)."""
import numpy as np

# dfc-test: sizes N=8,M=10,K=3 | N=13,M=9,K=4
# dfc-test: args alpha=0.5 steps=4
# dfc-test: range X=-3,3 c=-1,1


# dfc: jacobi32(A: float32[N, M], steps: int64)
def jacobi32(A, steps):
    """Four-neighbour Jacobi sweeps on a float32 grid (constants stay
    float32 by value-based casting)."""
    for s in range(steps):
        A[1:-1, 1:-1] = 0.25 * (A[:-2, 1:-1] + A[2:, 1:-1] + A[1:-1, :-2] + A[1:-1, 2:])
    return A


# dfc: saxpy(alpha: float32, x: float32[N], y: float32[N])
def saxpy(alpha, x, y):
    """y += alpha x in single precision, and the float64 norm of the result."""
    y += alpha * x
    return np.sqrt(np.sum(y.astype(np.float64) ** 2))


# dfc: sgemm(A: float32[N, K], B: float32[K, M], C: float32[N, M], alpha: float32)
def sgemm(A, B, C, alpha):
    """C = alpha A B + C in float32, in place; returns the same update
    computed in float64 from the float32 inputs (for an accuracy check)."""
    C64 = C.astype(np.float64) + alpha * (A.astype(np.float64) @ B.astype(np.float64))
    C += alpha * (A @ B)
    return C64


# dfc: softmax32(X: float32[N, M])
def softmax32(X):
    """Row softmax in float32."""
    e = np.exp(X - X.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# dfc: conv_layer32(img: float32[N, M], w: float32[K, K], b: float32)
def conv_layer32(img, w, b):
    """Valid 2-D cross-correlation of one channel, bias and ReLU, float32."""
    k = w.shape[0]
    out = np.empty((img.shape[0] - k + 1, img.shape[1] - k + 1), dtype=np.float32)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(img[i:i + k, j:j + k] * w)
    return np.maximum(out + b, 0)


# dfc: horner32(c: float32[K], X: float32[N])
def horner32(c, X):
    """Evaluates the polynomial with coefficients c (highest first)."""
    p = np.zeros_like(X)
    for i in range(c.shape[0]):
        p = p * X + c[i]
    return p


# dfc: mixed_precision(x: float32[N], y: float64[N], k: int32[N])
def mixed_precision(x, y, k):
    """Promotion across dtypes: float32 with float64 is float64, int32 with
    float32 is float64, int32 with a Python float is float64."""
    a = x * y
    b = x + k
    c = k * 0.5
    d = x * 2
    return a, b, c, d
