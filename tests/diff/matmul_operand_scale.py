"""A scalar factor on an operand of a matrix product, (s * A) @ x, folded
into the matmul by matmul-scaling at -O3 (its _scale_a/_scale_b/_div_a/
_div_b inputs: BLAS alpha = s where s is a normal number, else loops that
scale each element as it is read), and the forms it must leave alone.
The data are in [-1, 1) so that Inf scales give NumPy's mixtures of +Inf,
-Inf and NaN; z, inf, ninf, nan, tiny are 0, Inf, -Inf, NaN and a
subnormal at run time."""
import numpy as np

# dfc-test: sizes N=6,M=5,K=7 | N=1,M=2,K=1 | N=37,M=41,K=29 | N=3,M=4,K=0
# dfc-test: args z=0.0 inf=inf ninf=-inf nan=nan tiny=1e-310 neg=-2.5
# dfc-test: range -1,1


# dfc: gesummv_rect(alpha: float64, beta: float64, A: float64[N, M], B: float64[N, M], x: float64[M])
def gesummv_rect(alpha, beta, A, B, x):
    """gesummv on a non-square matrix: two scaled gemv and a combine."""
    return alpha * A @ x + beta * B @ x


# dfc: sides(alpha: float64, A: float64[N, K], B: float64[K, M], x: float64[K], y: float64[N])
def sides(alpha, A, B, x, y):
    """The scale on the left and the right operand, before and after the
    array, multiplying and dividing, for 2@2, 2@1, 1@2 and 1@1."""
    C = (alpha * A) @ B
    D = A @ (B * alpha)
    u = (A / alpha) @ x
    v = y @ (alpha * A)
    w = (x / alpha) @ B
    d = (alpha * x) @ x
    E = (A.T * alpha) @ y
    return C, D, u, v, w, d, E


# dfc: special(z: float64, inf: float64, ninf: float64, nan: float64, tiny: float64, neg: float64, A: float64[N, K], B: float64[K, M], x: float64[K])
def special(z, inf, ninf, nan, tiny, neg, A, B, x):
    """Scales 0, Inf, -Inf, NaN, subnormal and negative, and divisions by
    0, Inf and a subnormal (A / tiny overflows), which NumPy propagates."""
    r0 = (z * A) @ x
    r1 = (inf * A) @ x
    r2 = (ninf * A) @ B
    r3 = (A / z) @ x
    r4 = (A / inf) @ B
    r5 = (nan * A) @ x
    r6 = (A / tiny) @ x
    r7 = x @ (B * tiny)
    r8 = (neg * A) @ B
    r9 = x @ (B / neg)
    return r0, r1, r2, r3, r4, r5, r6, r7, r8, r9


# dfc: inf_data(z: float64, alpha: float64, A: float64[N, K], x: float64[K], C: float64[N, M], B: float64[K, M])
def inf_data(z, alpha, A, x, C, B):
    """An Inf in the operand with a scale 0 (0 * Inf is NaN), and an
    operand scale together with a product scale and beta."""
    A[:1, :] = np.inf
    y = (z * A) @ x
    C[:, :] = alpha * ((A * 0.5) @ B) + z * C
    return y


# dfc: float32_scaled(alpha: float32, inf: float32, A: float32[N, K], B: float32[K, M], x: float32[K])
def float32_scaled(alpha, inf, A, B, x):
    """sgemm / sgemv with the operand scale, and an Inf one."""
    return (alpha * A) @ B, (A / alpha) @ x, (inf * A) @ x


# dfc: constant_scale(A: float64[N, K], x: float64[K], d: float64)
def constant_scale(A, x, d):
    """A constant and a computed scale (evaluated first, into a scalar)."""
    return (2.0 * A) @ x, (A / np.sqrt(d * d + 1.0)) @ x


# dfc: left_alone(alpha: float64, A: float64[N, K], x: float64[K], v: float64[K], F: float32[N, K])
def left_alone(alpha, A, x, v, F):
    """Not folded: the scaled array used twice, a scale that is an array,
    mixed dtypes, a sum rather than a product."""
    T = alpha * A
    r0 = T @ x
    r1 = (v * A) @ x
    r2 = (alpha * F) @ x
    r3 = (alpha + A) @ x
    return r0, T, r1, r2, r3


# dfc: product_scale_special(z: float64, inf: float64, nan: float64, A: float64[N, K], x: float64[K], y: float64[N])
def product_scale_special(z, inf, nan, A, x, y):
    """The product-side fold of a gemv, alpha * (A @ x), where alpha is 0,
    Inf or NaN: the loops that run then scale the finished sums."""
    y[:] = inf * (A @ x)
    return z * (A @ x), nan * (A @ x)


# dfc: transposed(alpha: float64, z: float64, inf: float64, A: float64[N, K], y: float64[N], x: float64[K], B: float64[K, N])
def transposed(alpha, z, inf, A, y, x, B):
    """Scaled operands read transposed (the matmul's transpose flags), both
    operands scaled, and the matrix-vector products the backend turns
    around (A^T y is y @ A): each scale stays with its operand."""
    r0 = (alpha * A).T @ y
    r1 = x @ (A / alpha).T
    r2 = (inf * A).T @ y
    r3 = (A * z).T @ y
    r4 = (alpha * A).T @ (B / alpha).T
    r5 = (inf * A).T @ (B * z).T
    return r0, r1, r2, r3, r4, r5
