"""Loops of matrix-matrix products over consecutive blocks of rows, which
loop-to-matmul with `blocks: true` (the recipe; -O3 leaves them alone)
turns into one product of all the blocks (rnn's x[t] @ Wx with the
carried h @ Wh before it, a product feeding an add, a scaled product, an
offset range and a loop of no iteration, a block of part of the columns,
float32, a result copied to a variable that the body reads before the
product), and loops it must leave alone (blocks not consecutive in
memory, the loop's dimension behind the matrix's, a transposed block, a
block a later iteration reads after an earlier one wrote it, a block
written before the product in the same iteration). NumPy is the
oracle."""
import numpy as np

# dfc-test: script tests/diff/loop_matmul_blocks.recipe.yaml

# dfc-test: sizes T=4,N=3,D=5,E=2 | T=1,N=1,D=1,E=1 | T=7,N=1,D=3,E=4 | T=3,N=6,D=2,E=5
# dfc-test: sizes T=2,N=9,D=17,E=11


# dfc: rnn(x: float64[T, N, D], Wx: float64[D, E], Wh: float64[E, E], b: float64[E])
def rnn(x, Wx, Wh, b):
    h = np.zeros((x.shape[1], Wx.shape[1]))
    hs = np.empty((x.shape[0], x.shape[1], Wx.shape[1]))
    for t in range(x.shape[0]):
        h = np.tanh(x[t] @ Wx + h @ Wh + b)
        hs[t] = h
    return hs


# dfc: rnn32(x: float32[T, N, D], Wx: float32[D, E], Wh: float32[E, E])
def rnn32(x, Wx, Wh):
    h = np.zeros((x.shape[1], Wx.shape[1]), dtype=np.float32)
    hs = np.empty((x.shape[0], x.shape[1], Wx.shape[1]), dtype=np.float32)
    for t in range(x.shape[0]):
        h = np.tanh(h @ Wh + x[t] @ Wx)
        hs[t] = h
    return hs


# dfc: add_bias(x: float64[T, N, D], W: float64[D, E], b: float64[E], B: float64[T, N, E])
def add_bias(x, W, b, B):
    for t in range(x.shape[0]):
        B[t] = x[t] @ W + b


# dfc: scaled(x: float64[T, N, D], W: float64[D, E], a: float64)
def scaled(x, W, a):
    B = np.zeros((x.shape[0], x.shape[1], W.shape[1]))
    for t in range(x.shape[0]):
        B[t, :, :] = a * (x[t, :, :] @ W)
    return B


# dfc: offset(x: float64[T, N, D], W: float64[D, E])
def offset(x, W):
    B = np.ones((x.shape[0], x.shape[1], W.shape[1]))
    for t in range(1, x.shape[0]):
        B[t - 1] = x[t] @ W - B[t]
    return B


# dfc: running(x: float64[T, N, D], W: float64[D, E])
def running(x, W):
    B = np.zeros((x.shape[0] + 1, x.shape[1], W.shape[1]))
    for t in range(1, x.shape[0] + 1):
        B[t] = B[t - 1] + x[t - 1] @ W
    return B


# dfc: columns(x: float64[T, N, D], W: float64[D, E])
def columns(x, W):
    B = np.zeros((x.shape[0], x.shape[1], W.shape[1]))
    for t in range(x.shape[0]):
        B[t] = x[t, :, 1:] @ W[1:, :]
    return B


# dfc: strided(x: float64[T, N, D], W: float64[D, E])
def strided(x, W):
    B = np.zeros((x.shape[0], x.shape[1] - 1, W.shape[1]))
    for t in range(x.shape[0]):
        B[t] = x[t, 1:, :] @ W
    return B


# dfc: behind(x: float64[N, T, D], W: float64[D, E])
def behind(x, W):
    B = np.zeros((x.shape[1], x.shape[0], W.shape[1]))
    for t in range(x.shape[1]):
        B[t] = x[:, t, :] @ W
    return B


# dfc: transposed(x: float64[T, D, N], W: float64[D, E])
def transposed(x, W):
    B = np.zeros((x.shape[0], x.shape[2], W.shape[1]))
    for t in range(x.shape[0]):
        B[t] = x[t].T @ W
    return B


# dfc: carried(x: float64[T, N, D], W: float64[D, D])
def carried(x, W):
    for t in range(x.shape[0] - 1):
        x[t + 1] = x[t] @ W
    return x


# dfc: written_before(x: float64[T, N, D], W: float64[D, E])
def written_before(x, W):
    B = np.zeros((x.shape[0], x.shape[1], W.shape[1]))
    for t in range(x.shape[0]):
        x[t] = x[t] * 0.5
        B[t] = x[t] @ W
    return B


# dfc: read_before(x: float64[T, N, D], W: float64[D, E])
def read_before(x, W):
    B = np.zeros((x.shape[0], x.shape[1], W.shape[1]))
    p = np.zeros((x.shape[1], W.shape[1]))
    for t in range(x.shape[0]):
        B[t] = p + 1.0
        p = x[t] @ W
    return B
