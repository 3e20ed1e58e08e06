"""rnn without `blocks: true`: products of 2-D blocks are not hoisted (the
-O3 pipeline leaves them alone: measured no faster here)."""
import numpy as np


# dfc: rnn(x: float64[T, N, D], Wx: float64[D, E], Wh: float64[E, E], b: float64[E])
def rnn(x, Wx, Wh, b):
    h = np.zeros((x.shape[1], Wx.shape[1]))
    hs = np.empty((x.shape[0], x.shape[1], Wx.shape[1]))
    for t in range(x.shape[0]):
        h = np.tanh(x[t] @ Wx + h @ Wh + b)
        hs[t] = h
    return hs
