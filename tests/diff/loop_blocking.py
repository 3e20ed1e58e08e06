"""Loops of pointwise sweeps, which the -O3 pipeline runs block by block
(loop-blocking: a parallel loop over blocks of the arrays' first
dimension, the whole loop inside each block): the taps of an FIR filter
and of a full convolution (the written element is the map's index plus
the tap), Horner's rule in float32, Clenshaw's recurrence (a loop running
down, three arrays rotated), a logistic map whose loop holds an if on the
loop variable, a recursive filter along the columns of a matrix (blocks
of rows), a 3x3 min/max window (two nested loops), integer bit counting,
and an argument updated in place. carry is the control that must stay
unblocked: each element reads its left neighbour, which another block may
compute. tests/wrap/loop_blocking.py checks that -O3 blocks each of the
others and not carry; here each must compute NumPy's values,
bit for bit in the order of each element's operations, at sizes of one
block, of a block and a bit, and of many blocks (512 elements each, or
rows of 512 // M)."""
import numpy as np

# dfc-test: sizes N=3,M=3,T=1 | N=7,M=3,T=3 | N=513,M=5,T=9 | N=1500,M=130,T=40 | N=4100,M=700,T=5
# dfc-test: args steps=7


# dfc: taps(x: float64[N], h: float64[T])
def taps(x, h):
    y = np.zeros_like(x)
    for k in range(h.shape[0]):
        y[k:] += h[k] * x[:x.shape[0] - k]
    return y


# dfc: full(x: float64[N], h: float64[T])
def full(x, h):
    n = x.shape[0]
    t = h.shape[0]
    y = np.zeros(n + t - 1)
    for k in range(t):
        y[k:k + n] += h[k] * x
    return y


# dfc: horner(c: float32[T], x: float32[N])
def horner(c, x):
    p = np.zeros_like(x)
    for i in range(c.shape[0]):
        p = p * x + c[i]
    return p


# dfc: clenshaw(c: float64[T], t: float64[N])
def clenshaw(c, t):
    b1 = np.zeros_like(t)
    b2 = np.zeros_like(t)
    for k in range(c.shape[0] - 1, 0, -1):
        b0 = c[k] + 2.0 * t * b1 - b2
        b2 = b1
        b1 = b0
    return c[0] + t * b1 - b2


# dfc: logistic(r: float64[N], x: float64[N], steps: int64)
def logistic(r, x, steps):
    acc = np.zeros_like(x)
    for s in range(steps):
        x = r * x * (1.0 - x)
        if s >= steps // 2:
            acc += x
    return x, acc


# dfc: smooth_columns(x: float64[N, M], a: float64)
def smooth_columns(x, a):
    y = np.empty_like(x)
    y[:, 0] = x[:, 0]
    for j in range(1, x.shape[1]):
        y[:, j] = a * x[:, j] + (1.0 - a) * y[:, j - 1]
    return y


# dfc: window(img: float64[N, M])
def window(img):
    lo = img[1:-1, 1:-1].copy()
    hi = img[1:-1, 1:-1].copy()
    for di in range(3):
        for dj in range(3):
            w = img[di:di + img.shape[0] - 2, dj:dj + img.shape[1] - 2]
            lo = np.minimum(lo, w)
            hi = np.maximum(hi, w)
    return hi - lo


# dfc: bits(v: int64[N])
def bits(v):
    n = np.zeros_like(v)
    for b in range(40):
        n += (v >> b) & 1
    return n


# dfc: damp(x: float64[N], g: float64[T])
def damp(x, g):
    for k in range(g.shape[0]):
        x *= 1.0 - 0.01 * g[k]
        x += 0.001


# dfc: carry(x: float64[N], y: float64[N], g: float64[T])
def carry(x, y, g):
    for k in range(g.shape[0]):
        y[1:] = x[:-1] * g[k]
        x[1:] = x[1:] + y[1:]


# A loop in the blocked one whose range is the blocked loop's variable (a
# triangle): its trips have no value before the loop over blocks, so the
# block width counts it as one iteration (with its trips in it, the width
# named k outside its loop, and the IR failed verification).
# dfc: triangle(x: float64[N, M], g: float64[T])
def triangle(x, g):
    for k in range(g.shape[0]):
        for j in range(k):
            x[j:, :] = x[j:, :] * 0.5 + g[j]
