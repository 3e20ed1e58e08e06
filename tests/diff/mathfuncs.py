"""Elementwise math functions on float64, float32 and integer arrays, on
scalars; np.abs, np.maximum, np.minimum, np.power, np.pi/np.e."""
import numpy as np

# dfc-test: sizes N=11,M=3 | N=2,M=2
# dfc-test: range x=-2,2
# dfc-test: range k=-5,5


# dfc: transcendental(x: float64[N, M])
def transcendental(x):
    """sqrt/exp/log/sin/cos/tan/tanh of arrays, with shifts to stay in domain."""
    a = np.sqrt(np.abs(x))
    b = np.exp(x) - np.log(x * x + 1.0)
    c = np.sin(x) * np.cos(x) + np.tan(x / 4.0)
    d = np.tanh(x * 3.0)
    e = np.exp(-x * x / 2.0) / np.sqrt(2.0 * np.pi)
    f = np.log(np.e * (x + 3.0))
    return a, b, c, d, e, f


# dfc: f32_math(x: float32[N, M])
def f32_math(x):
    """Math functions of float32 arrays stay float32."""
    a = np.sqrt(np.abs(x))
    b = np.exp(x) + np.sin(x)
    c = np.tanh(x) * np.cos(x)
    d = np.log(np.abs(x) + 1)
    e = np.maximum(x, 0.0)
    return a, b, c, d, e


# dfc: max_min(x: float64[N, M], y: float64[N, M], k: int64[N, M])
def max_min(x, y, k):
    """np.maximum / np.minimum with arrays, scalars and broadcasting; ints."""
    a = np.maximum(x, y)
    b = np.minimum(x, 0.5)
    c = np.maximum(0.0, np.minimum(1.0, x))
    d = np.maximum(x, y[0, :])
    e = np.maximum(k, 0)
    f = np.minimum(k, -k)
    g = np.abs(k)
    return a, b, c, d, e, f, g


# dfc: powers(x: float64[N, M], k: int64[N, M])
def powers(x, k):
    """np.power with float and integer exponents and bases."""
    a = np.power(np.abs(x), 1.5)
    b = np.power(x, 2)
    c = np.power(k, 2)
    d = np.power(2.0, x)
    e = np.power(np.abs(k), 3)
    return a, b, c, d, e


# dfc: int_math(k: int64[N, M])
def int_math(k):
    """Math functions of integer arrays compute in float64."""
    a = np.sqrt(np.abs(k))
    b = np.exp(k / 5)
    c = np.sin(k)
    return a, b, c


# dfc: scalar_math(x: float64, y: float64)
def scalar_math(x, y):
    """Math functions and builtins on scalars."""
    a = np.sqrt(abs(x)) + np.exp(y)
    b = max(np.sin(x), np.cos(y))
    c = min(abs(x), abs(y), 1.0)
    d = np.maximum(x, y) - np.minimum(x, y)
    e = np.power(abs(x), y)
    f = np.tanh(x) + float(np.abs(y))
    return a, b, c, d, e, f
