"""Integer operators: floor division and modulo with negative operands,
shifts, bitwise operators and integer powers, on int64 and int32."""
import numpy as np

# dfc-test: sizes N=23 | N=4
# dfc-test: range a=-20,20
# dfc-test: range b=0,9
# dfc-test: range s=1,4


# dfc: int64_divmod(a: int64[N], b: int64[N])
def int64_divmod(a, b):
    """Python semantics of // and % (floor), divisors of both signs."""
    neg = b - 9
    pos = b + 1
    q1 = a // pos
    r1 = a % pos
    q2 = a // neg
    r2 = a % neg
    q3 = a // -3
    r3 = a % -3
    q4 = -7 // pos
    r4 = 7 % neg
    return q1, r1, q2, r2, q3, r3, q4, r4


# dfc: int32_divmod(a: int32[N], b: int32[N])
def int32_divmod(a, b):
    """The same on int32 arrays: the results stay int32."""
    neg = b - 9
    q = a // neg
    r = a % neg
    q2 = a // 4
    r2 = a % 4
    return q, r, q2, r2


# dfc: bitwise(a: int64[N], b: int64[N], s: int64)
def bitwise(a, b, s):
    """&, |, ^, ~, << and >> on int64 (>> of negatives is arithmetic)."""
    c = a & b
    d = a | 6
    e = a ^ b
    f = ~a
    g = b << s
    h = a >> 1
    i = (a << 2) >> s
    return c, d, e, f, g, h, i


# dfc: int_pow(a: int64[N], b: int64[N])
def int_pow(a, b):
    """Integer powers with non-negative exponents stay integers."""
    c = a ** 2
    d = b ** 3
    e = 2 ** b
    f = a ** (b % 4)
    return c, d, e, f


# dfc: int_true_div(a: int64[N], b: int64[N])
def int_true_div(a, b):
    """/ of integer arrays gives float64."""
    return a / (b + 1), a / 4, 3 / (b + 1)


# dfc: int32_ops(a: int32[N], b: int32[N], s: int64)
def int32_ops(a, b, s):
    """int32 arrays with Python int scalars stay int32."""
    c = a * 3 + b
    d = a - s
    e = a & b
    f = -a
    g = a * b // (b + 1)
    h = a / 2
    return c, d, e, f, g, h


# dfc: int_div_zero(a: int64[N], b: int64[N])
def int_div_zero(a, b):
    """Integer // and % by zero give 0 in NumPy (b has zeros); no crash."""
    return a // b, a % b, a // (b - b), 7 % (b * 0)


# dfc: float_div_zero(x: float64[N], b: int64[N])
def float_div_zero(x, b):
    """Float division by zero gives inf/nan; // and % too."""
    return x / b, x // b, x % b, b / b, -x / (b - b)
