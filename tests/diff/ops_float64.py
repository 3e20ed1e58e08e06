"""Arithmetic operators on float64 arrays, with scalars and other arrays."""
import numpy as np

# dfc-test: sizes N=17,M=5 | N=3,M=1
# dfc-test: range x=-2,2
# dfc-test: range y=-2,2
# dfc-test: range a=-5,5


# dfc: arith(x: float64[N, M], y: float64[N, M], s: float64)
def arith(x, y, s):
    """All the float arithmetic operators, mixed with scalars."""
    a = x + y * s - 1.5
    b = (x - y) / (y + 3.0)
    c = -x * 2 + s ** 2
    d = x ** 2 + abs(s) ** 0.5
    e = 3.0 - x / 4
    return a, b, c, d, e


# dfc: floordiv_mod(x: float64[N, M], y: float64[N, M])
def floordiv_mod(x, y):
    """Floor division and modulo of floats with negative operands."""
    q = (x * 7.0) // (y + 2.5)
    r = (x * 7.0) % (y + 2.5)
    q2 = (x * 7.0) // -1.25
    r2 = (x * 7.0) % -1.25
    r3 = -5.5 % (y + 2.5)
    q3 = -5.5 // (y + 2.5)
    return q, r, q2, r2, r3, q3


# dfc: compare(x: float64[N, M], y: float64[N, M])
def compare(x, y):
    """Comparisons of arrays produce bool arrays."""
    lt = x < y
    le = x <= 0.0
    gt = x > y
    ge = 0.5 >= y
    eq = x == x
    ne = x != y
    return lt, le, gt, ge, eq, ne


# dfc: power_ops(x: float64[N], k: int64)
def power_ops(x, k):
    """Powers with integer, float and negative exponents."""
    a = x ** 3
    b = x ** -2
    c = x ** k
    d = np.abs(x) ** 1.5
    e = 2.0 ** x
    f = np.power(np.abs(x), 0.25)
    return a, b, c, d, e, f


# dfc: pow_edges(x: float64[N], a: int64[N])
def pow_edges(x, a):
    """Powers at the edges: zero exponents, 0 ** -1 = inf, cube roots of
    negatives (NaN), int ** 0, negative int bases, float ** int arrays."""
    return (x ** 0, a ** 0, a ** 1, x ** 1, (x * 0.0) ** -1.0, x ** (1.0 / 3.0), (a * 0) ** 0,
            x ** 2.0, x ** 3, x ** -1, a ** 3, np.power(a, 2), np.power(x, a * 0 + 2),
            (-2) ** (a * 0 + 3), 0.5 ** a)


# dfc: bool_square(a: bool[N], i: int8[N])
def bool_square(a, i):
    """NumPy's `array ** 2` (and `** 2.0`) is np.square, which squares a
    bool array in int8, not in the promoted dtype of np.power; an int
    array ** 2.0 is a float64 square."""
    return a ** 2, a ** 2.0, a ** np.int64(2), a ** 3, a ** 1.0, i ** 2.0, a[0] ** 2
