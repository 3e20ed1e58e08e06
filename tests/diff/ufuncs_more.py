"""Rounding, inverse trigonometric and hyperbolic functions, logarithms,
predicates and sign, on floats and integers."""
import math

import numpy as np

# dfc-test: sizes N=9 | N=32
# dfc-test: range x=-3,3


# dfc: rounding(x: float64[N])
def rounding(x):
    """floor, ceil, trunc, rint (ties to even) and sign."""
    y = x * 2.5
    return np.floor(y), np.ceil(y), np.trunc(y), np.rint(y), np.sign(y)


# dfc: inverse(x: float64[N])
def inverse(x):
    """Inverse and hyperbolic functions on [-1, 1] and beyond."""
    u = x / 3.0
    return (np.arcsin(u), np.arccos(u), np.arctan(x), np.sinh(x), np.cosh(x),
            np.arcsinh(x), np.arccosh(np.abs(x) + 1.0), np.arctanh(u * 0.9))


# dfc: logs(x: float64[N])
def logs(x):
    """Logarithms and exponentials of positive values, hypot and arctan2."""
    p = np.abs(x) + 0.5
    return (np.log2(p), np.log10(p), np.log1p(p), np.expm1(x), np.exp2(x), np.cbrt(x),
            np.hypot(x, p), np.arctan2(x, p))


# dfc: predicates(x: float64[N], k: int64[N])
def predicates(x, k):
    """isnan / isinf / isfinite on computed NaNs and infinities, and on ints."""
    y = np.log(x)            # NaN for x < 0, -inf for 0
    return np.isnan(y), np.isinf(y), np.isfinite(y), np.isnan(k), np.sign(k - 3)


# dfc: scalar_math(x: float64[N])
def scalar_math(x):
    """math functions on scalars in a loop."""
    s = 0.0
    for i in range(x.shape[0]):
        s += math.floor(x[i]) * 0.5 + math.atan2(x[i], 2.0) + math.fabs(x[i])
    return s
