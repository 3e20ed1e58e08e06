"""Linear solvers and factorizations of the corpus: Cholesky, LU and LU
solve (PolyBench cholesky/lu/ludcmp), Levinson-Durbin, triangular solves,
modified Gram-Schmidt QR, and iterative methods (conjugate gradient,
Jacobi, Gauss-Seidel, steepest descent, Thomas tridiagonal solver, Newton
and bisection iterations). Matrices are generated SPD where the method
needs it."""
import numpy as np

# dfc-test: sizes N=8,M=10 | N=13,M=15
# dfc-test: args iters=12
# dfc-test: spd A
# dfc-test: range r=0.01,0.1
# dfc-test: range d=20,30
# dfc-test: range sub=-1,1 sup=-1,1 diag=4,5
# dfc-test: rtol 1e-8
# durbin's recursion amplifies rounding: at N=3328 a correctly rounded dot
# product (math.fsum) moves y by up to 4e-7 from NumPy's, and both are
# as far from a long double run; so an absolute tolerance for it.
# dfc-test: atol durbin=1e-6


# dfc: cholesky(A: float64[N, N])
def cholesky(A):
    """In-place Cholesky factorization; the lower triangle becomes L."""
    A[0, 0] = np.sqrt(A[0, 0])
    for i in range(1, A.shape[0]):
        for j in range(i):
            A[i, j] -= A[i, :j] @ A[j, :j]
            A[i, j] /= A[j, j]
        A[i, i] -= A[i, :i] @ A[i, :i]
        A[i, i] = np.sqrt(A[i, i])


# dfc: lu(A: float64[N, N])
def lu(A):
    """In-place Doolittle LU factorization without pivoting."""
    n = A.shape[0]
    for i in range(n):
        for j in range(i):
            A[i, j] -= A[i, :j] @ A[:j, j]
            A[i, j] /= A[j, j]
        for j in range(i, n):
            A[i, j] -= A[i, :i] @ A[:i, j]


# dfc: ludcmp(A: float64[N, N], b: float64[N])
def ludcmp(A, b):
    """LU factorization followed by the forward and backward substitutions;
    returns x and the intermediate y."""
    n = A.shape[0]
    x = np.zeros_like(b)
    y = np.zeros_like(b)
    for i in range(n):
        for j in range(i):
            A[i, j] -= A[i, :j] @ A[:j, j]
            A[i, j] /= A[j, j]
        for j in range(i, n):
            A[i, j] -= A[i, :i] @ A[:i, j]
    for i in range(n):
        y[i] = b[i] - A[i, :i] @ y[:i]
    for i in range(n - 1, -1, -1):
        x[i] = (y[i] - A[i, i + 1:] @ x[i + 1:]) / A[i, i]
    return x, y


# dfc: durbin(r: float64[N])
def durbin(r):
    """Levinson-Durbin recursion for the Yule-Walker equations."""
    y = np.empty_like(r)
    alpha = -r[0]
    beta = 1.0
    y[0] = -r[0]
    for k in range(1, r.shape[0]):
        beta *= 1.0 - alpha * alpha
        alpha = -(r[k] + np.flip(r[:k]) @ y[:k]) / beta
        y[:k] += alpha * np.flip(y[:k])
        y[k] = alpha
    return y


# dfc: trisolv(A: float64[N, N], b: float64[N])
def trisolv(A, b):
    """Forward substitution with the lower triangle of A."""
    x = np.zeros_like(b)
    for i in range(A.shape[0]):
        x[i] = (b[i] - A[i, :i] @ x[:i]) / A[i, i]
    return x


# dfc: backsolve(A: float64[N, N], b: float64[N])
def backsolve(A, b):
    """Backward substitution with the upper triangle of A, in place in b."""
    n = A.shape[0]
    for i in range(n - 1, -1, -1):
        b[i] = (b[i] - A[i, i + 1:] @ b[i + 1:]) / A[i, i]


# dfc: gramschmidt(X: float64[M, N])
def gramschmidt(X):
    """Modified Gram-Schmidt QR of a tall matrix; X is overwritten."""
    n = X.shape[1]
    Q = np.zeros_like(X)
    R = np.zeros((n, n))
    for k in range(n):
        R[k, k] = np.sqrt(X[:, k] @ X[:, k])
        Q[:, k] = X[:, k] / R[k, k]
        for j in range(k + 1, n):
            R[k, j] = Q[:, k] @ X[:, j]
            X[:, j] -= Q[:, k] * R[k, j]
    return Q, R


# dfc: conjugate_gradient(A: float64[N, N], b: float64[N], iters: int64)
def conjugate_gradient(A, b, iters):
    """A fixed number of conjugate gradient iterations from x = 0, stopping
    early once the residual vanishes."""
    x = np.zeros_like(b)
    r = b - A @ x
    p = r.copy()
    rs = r @ r
    for it in range(iters):
        Ap = A @ p
        alpha = rs / (p @ Ap)
        x += alpha * p
        r -= alpha * Ap
        rs_new = r @ r
        if np.sqrt(rs_new) < 1e-12:
            break
        p = r + (rs_new / rs) * p
        rs = rs_new
    return x


# dfc: jacobi_solve(B: float64[N, N], d: float64[N], b: float64[N], iters: int64)
def jacobi_solve(B, d, b, iters):
    """Jacobi iteration for the splitting (diag(d) + B) x = b: d is large
    enough to dominate B, so the iteration converges."""
    x = np.zeros_like(b)
    for it in range(iters):
        x = (b - B @ x) / d
    return x


# dfc: gauss_seidel(A: float64[N, N], b: float64[N], iters: int64)
def gauss_seidel(A, b, iters):
    """Gauss-Seidel sweeps for an SPD system; returns x and the residual norm."""
    n = A.shape[0]
    x = np.zeros_like(b)
    for it in range(iters):
        for i in range(n):
            s = A[i, :i] @ x[:i] + A[i, i + 1:] @ x[i + 1:]
            x[i] = (b[i] - s) / A[i, i]
    return x, np.linalg.norm(b - A @ x)


# dfc: steepest_descent(A: float64[N, N], b: float64[N], iters: int64)
def steepest_descent(A, b, iters):
    """Steepest descent with exact line search on 1/2 x^T A x - b^T x."""
    x = np.zeros(b.shape[0])
    for it in range(iters):
        r = b - A @ x
        alpha = (r @ r) / (r @ (A @ r))
        x = x + alpha * r
    return x


# dfc: thomas(sub: float64[N], diag: float64[N], sup: float64[N], rhs: float64[N])
def thomas(sub, diag, sup, rhs):
    """Tridiagonal solve by the Thomas algorithm; sub[0] and sup[-1] unused."""
    n = diag.shape[0]
    c = np.empty(n)
    d = np.empty(n)
    x = np.empty(n)
    c[0] = sup[0] / diag[0]
    d[0] = rhs[0] / diag[0]
    for i in range(1, n):
        m = diag[i] - sub[i] * c[i - 1]
        c[i] = sup[i] / m
        d[i] = (rhs[i] - sub[i] * d[i - 1]) / m
    x[n - 1] = d[n - 1]
    for i in range(n - 2, -1, -1):
        x[i] = d[i] - c[i] * x[i + 1]
    return x


# dfc: newton_sqrt(b: float64[N], iters: int64)
def newton_sqrt(b, iters):
    """Square roots by Newton's iteration x <- (x + b / x) / 2, vectorised."""
    x = np.ones_like(b)
    for it in range(iters):
        x = 0.5 * (x + b / x)
    return x, np.max(np.abs(x * x - b))


# dfc: bisect_cubic(b: float64[N], iters: int64)
def bisect_cubic(b, iters):
    """Cube roots of b in [0, 2) by bisection on x^3 - b, all at once."""
    lo = np.zeros_like(b)
    hi = np.full_like(b, 2.0)
    for it in range(iters):
        mid = 0.5 * (lo + hi)
        above = mid * mid * mid > b
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    return 0.5 * (lo + hi)
