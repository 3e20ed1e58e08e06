"""X.T @ X and X @ X.T where both operands are one view of one array: a
?syrk into the upper triangle, then mirrored (NumPy's rule, so the result
is exactly symmetric as NumPy's is), split over the threads when large;
square and non-square, float32, slices, a scale factor, products in
expressions (Gram and covariance matrices), and the cases where it must not
apply: different arrays, different views of one array, a view with a step
along its rows, an output that accumulates."""
import numpy as np

# dfc-test: sizes N=7,M=5 | N=1,M=3 | N=120,M=97 | N=40,M=170


# dfc: syrk_both(X: float64[N, M])
def syrk_both(X):
    return X.T @ X, X @ X.T, np.dot(X.T, X), np.matmul(X, X.transpose())


# dfc: syrk_f32(X: float32[N, M])
def syrk_f32(X):
    return X.T @ X, X @ X.T


# dfc: syrk_slices(X: float64[N, M])
def syrk_slices(X):
    """Sub-blocks and rows with a step: still one view, transposed."""
    A = X[1:, :-1]
    B = X[::2, :]
    return A.T @ A, A @ A.T, B.T @ B, X[:, 1:].T @ X[:, 1:]


# dfc: syrk_scaled(X: float64[N, M], a: float64)
def syrk_scaled(X, a):
    return a * (X.T @ X), (X @ X.T) * 2.0


# dfc: gram_cov(X: float64[N, M])
def gram_cov(X):
    """Gram and covariance matrices over transients."""
    Y = X - X.mean(axis=0)
    C = (Y.T @ Y) / (X.shape[0] - 1 + 1e-9)
    G = np.sqrt(X) @ np.sqrt(X).T
    return C, G


# dfc: not_syrk(X: float64[N, M], Y: float64[N, M], C: float64[M, M])
def not_syrk(X, Y, C):
    """Different arrays, different views of one, steps along a row, and an
    output that accumulates: general products."""
    P = X.T @ Y
    Q = X[:, :-1].T @ X[:, 1:]
    R = X[:, ::2].T @ X[:, ::2]
    C += X.T @ X
    return P, Q, R
