"""Numerical-methods and integer kernels of the corpus: trapezoid and
Simpson quadrature, Newton divided differences with nested evaluation,
Chebyshev series by Clenshaw's recurrence, Romberg integration, a
logistic-map sweep, vectorised Euclid GCD, Collatz stopping times, bit
counting, the sieve of Eratosthenes, integer matrix powers by repeated
squaring, Pascal's triangle and a histogram by broadcasting."""
import numpy as np

# dfc-test: sizes N=9,K=5 | N=14,K=7
# dfc-test: args steps=30 p=5 m=6
# dfc-test: range a=1,60 b=1,60 v=0,1000 A=0,3 c=-1,1 t=-1,1 x=0,1 r=2.5,4


# dfc: trapezoid(y: float64[N], h: float64)
def trapezoid(y, h):
    """Composite trapezoidal rule over equally spaced samples."""
    return h * (np.sum(y) - 0.5 * (y[0] + y[-1]))


# dfc: simpson(a: float64[N])
def simpson(a):
    """Integral over [0, 2] of the polynomial sum_k a_k x^k times exp(-x^2)
    by composite Simpson's rule with 32 panels, and the difference to the
    estimate with 64 panels."""
    x = np.linspace(0.0, 2.0, 33)
    f = np.zeros_like(x)
    for k in range(a.shape[0] - 1, -1, -1):
        f = f * x + a[k]
    f *= np.exp(-x * x)
    h = 2.0 / 32
    s1 = h / 3.0 * (f[0] + f[-1] + 4.0 * np.sum(f[1:-1:2]) + 2.0 * np.sum(f[2:-1:2]))
    x2 = np.linspace(0.0, 2.0, 65)
    g = np.zeros_like(x2)
    for k in range(a.shape[0] - 1, -1, -1):
        g = g * x2 + a[k]
    g *= np.exp(-x2 * x2)
    s2 = h / 6.0 * (g[0] + g[-1] + 4.0 * np.sum(g[1:-1:2]) + 2.0 * np.sum(g[2:-1:2]))
    return s1, s2 - s1


# dfc: newton_interp(x: float64[N], c: float64[N], t: float64[K])
def newton_interp(x, c, t):
    """Interpolates the data (x_i, c_i) (x made strictly increasing by a
    running sum) with Newton's divided differences and evaluates the
    polynomial at the points t by nested multiplication."""
    xs = np.cumsum(x + 0.5)
    coef = c.copy()
    n = x.shape[0]
    for j in range(1, n):
        coef[j:] = (coef[j:] - coef[j - 1:-1]) / (xs[j:] - xs[:n - j])
    tt = xs[0] + t * (xs[-1] - xs[0])
    p = np.full_like(tt, coef[n - 1])
    for j in range(n - 2, -1, -1):
        p = p * (tt - xs[j]) + coef[j]
    return coef, p


# dfc: chebyshev(c: float64[N], t: float64[K])
def chebyshev(c, t):
    """Evaluates sum_k c_k T_k(t) with Clenshaw's recurrence."""
    b1 = np.zeros_like(t)
    b2 = np.zeros_like(t)
    for k in range(c.shape[0] - 1, 0, -1):
        b0 = c[k] + 2.0 * t * b1 - b2
        b2 = b1
        b1 = b0
    return c[0] + t * b1 - b2


# dfc: logistic_map(r: float64[N], x: float64[N], steps: int64)
def logistic_map(r, x, steps):
    """Iterates x <- r x (1 - x) for many growth rates at once; returns the
    last state and the mean over the second half of the orbit."""
    acc = np.zeros_like(x)
    for s in range(steps):
        x = r * x * (1.0 - x)
        if s >= steps // 2:
            acc += x
    return x, acc / (steps - steps // 2)


# dfc: gcd(a: int64[N], b: int64[N])
def gcd(a, b):
    """Element-wise greatest common divisors by Euclid's algorithm, all
    pairs iterated together until every remainder is zero."""
    x = a.copy()
    y = b.copy()
    while np.any(y != 0):
        nz = y != 0
        r = np.where(nz, x % np.where(nz, y, 1), 0)
        x = np.where(nz, y, x)
        y = r
    return x


# dfc: collatz(a: int64[N])
def collatz(a):
    """Stopping times of the Collatz map for every start value."""
    steps = np.zeros_like(a)
    for i in range(a.shape[0]):
        n = a[i]
        while n != 1:
            if n % 2 == 0:
                n = n // 2
            else:
                n = 3 * n + 1
            steps[i] += 1
    return steps


# dfc: popcount(v: int64[N])
def popcount(v):
    """Number of set bits of non-negative integers, by shifting."""
    count = np.zeros_like(v)
    w = v.copy()
    for bit in range(63):
        count += w & 1
        w >>= 1
    return count


# dfc: matpow(A: int64[K, K], p: int64)
def matpow(A, p):
    """A to the power p by repeated squaring, in wrapping int64."""
    result = np.zeros_like(A)
    for i in range(A.shape[0]):
        result[i, i] = 1
    base = A.copy()
    e = p
    while e > 0:
        if e % 2 == 1:
            result = result @ base
        base = base @ base
        e //= 2
    return result


# dfc: pascal(C: int64[N, N])
def pascal(C):
    """Fills C with the binomial coefficients C(n, k), row by row."""
    n = C.shape[0]
    C[:, :] = 0
    C[:, 0] = 1
    for i in range(1, n):
        C[i, 1:i + 1] = C[i - 1, 1:i + 1] + C[i - 1, :i]


# dfc: romberg(R: float64[K, K])
def romberg(R):
    """Fills the Romberg table R for the integral of 1 / (1 + x^2) over
    [0, 1] (pi / 4), K levels of Richardson extrapolation."""
    K = R.shape[0]
    R[:, :] = 0.0
    h = 1.0
    R[0, 0] = 0.5 * h * (1.0 + 0.5)
    for i in range(1, K):
        h = h / 2.0
        m = 2 ** (i - 1)
        xs = h * (2.0 * np.arange(m) + 1.0)
        R[i, 0] = 0.5 * R[i - 1, 0] + h * np.sum(1.0 / (1.0 + xs * xs))
        for j in range(1, i + 1):
            R[i, j] = R[i, j - 1] + (R[i, j - 1] - R[i - 1, j - 1]) / (4.0 ** j - 1.0)


# dfc: sieve(is_prime: bool[N])
def sieve(is_prime):
    """Marks the primes below N in is_prime (sieve of Eratosthenes)."""
    n = is_prime.shape[0]
    is_prime[:] = True
    is_prime[:2] = False
    for i in range(2, n):
        if is_prime[i] and i * i < n:
            is_prime[i * i::i] = False


# dfc: count_values(v: int64[N], m: int64)
def count_values(v, m):
    """How often each value 0 .. m-1 occurs among v mod m, by broadcasting
    a comparison against np.arange(m)."""
    return np.sum(v[:, np.newaxis] % m == np.arange(m)[np.newaxis, :], axis=0)
