"""float32 kernels: every intermediate stays float32 where NumPy keeps it
(Python scalars, 0-d reductions), and float64 parameters promote."""
import numpy as np

# dfc-test: sizes N=12,M=7 | N=3,M=2
# dfc-test: range X=-3,3
# dfc-test: args alpha=0.5


# dfc: softmax32(X: float32[N, M])
def softmax32(X):
    """Row softmax in float32."""
    e = np.exp(X - np.max(X, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


# dfc: gemm32(A: float32[N, M], B: float32[M, N], C: float32[N, N], alpha: float64)
def gemm32(A, B, C, alpha):
    """C = alpha A B + C in float32 with a float scalar parameter."""
    C[:, :] = alpha * (A @ B) + C
    return np.sum(C)


# dfc: relu_layer(X: float32[N, M], W: float32[M, M], b: float32[M])
def relu_layer(X, W, b):
    """A dense layer with ReLU and a layer norm."""
    H = np.maximum(X @ W + b, 0.0)
    mu = np.mean(H, axis=1, keepdims=True)
    d = H - mu
    return d / np.sqrt(np.mean(d * d, axis=1, keepdims=True) + 1e-5)


# dfc: mixed64(X: float32[N, M], Y: float64[N, M])
def mixed64(X, Y):
    """float32 with float64 arrays is float64; with a float64 0-d value it stays float32."""
    a = X + Y
    b = X * np.mean(Y)
    c = X.T @ Y
    return a, b, c


# dfc: f32_loop(X: float32[N, M])
def f32_loop(X):
    """Element loops writing float32 results from float64 scalar arithmetic."""
    out = np.zeros_like(X)
    acc = 0.0
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            acc = acc * 0.5 + X[i, j]
            out[i, j] = acc
    return out, acc


# dfc: f32_const_overflow(x: float32[N, M])
def f32_const_overflow(x):
    """1e300 stored into a float32 array is inf."""
    x[:, 1:] = 1e300


# dfc: f32_times_huge(f: float32[N, M])
def f32_times_huge(f):
    """float64 (value-based casting: 1e300 does not fit float32)."""
    return f * 1e300
