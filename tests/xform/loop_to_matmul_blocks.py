"""rnn: the body computes the carried h @ Wh first, then x[t] @ Wx; the
second product is hoisted, one (T*N) x D @ D x E product into a transient
of T blocks of rows, read at block t; the loop stays a loop (h is carried)."""
import numpy as np

# dfc-test: script tests/xform/loop_to_matmul_blocks.recipe.yaml
# dfc-test: sizes T=4,N=3,D=5,E=2 | T=1,N=1,D=1,E=1 | T=2,N=7,D=3,E=6


# dfc: rnn(x: float64[T, N, D], Wx: float64[D, E], Wh: float64[E, E], b: float64[E])
def rnn(x, Wx, Wh, b):
    h = np.zeros((x.shape[1], Wx.shape[1]))
    hs = np.empty((x.shape[0], x.shape[1], Wx.shape[1]))
    for t in range(x.shape[0]):
        h = np.tanh(x[t] @ Wx + h @ Wh + b)
        hs[t] = h
    return hs
