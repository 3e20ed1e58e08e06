"""Loops carrying scalar state: a first-order IIR filter and Horner's rule."""
import numpy as np

# dfc-test: sizes N=10,K=1 | N=500,K=6
# dfc-test: args a=0.9
# dfc-test: range x=-1,1


# dfc: iir(x: float64[N], a: float64)
def iir(x, a):
    """Exponential smoothing y[i] = a y[i-1] + (1 - a) x[i], with y[-1] = 0."""
    y = np.empty_like(x)
    state = 0.0
    for i in range(x.shape[0]):
        state = a * state + (1.0 - a) * x[i]
        y[i] = state
    return y


# dfc: horner(c: float64[K], x: float64[N])
def horner(c, x):
    """Evaluates the polynomial c[0] + c[1] x + ... + c[K-1] x^(K-1) at every x."""
    y = np.zeros_like(x)
    for i in range(c.shape[0] - 1, -1, -1):
        y = y * x + c[i]
    return y


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    x = rng.random(16) * 2.0 - 1.0
    print("iir: last value", iir(x, 0.9)[-1])
    c = np.array([1.0, -2.0, 3.0])
    print("horner: 1 - 2x + 3x^2 at 2 =", horner(c, np.full(1, 2.0))[0])
