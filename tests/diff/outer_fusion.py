"""Maps over one outer range that -O3 fuses (outer-map-fusion), peels
(map-peeling) and fuses again inside (horizontal-map-fusion), proving
that interleaved strided writes of one array touch disjoint elements:
upsample-like even/odd columns at odd and even widths, one row and one
column, stride 3 and stride 2 against 4 (which overlap and must stay
apart), a 1-D map fused with a 2-D one, 2-D maps of different widths
into different arrays, and maps that read what another writes."""
import numpy as np

# dfc-test: sizes H=1,W=1,K=1 | H=1,W=5,K=2 | H=7,W=1,K=3 | H=6,W=8,K=5 | H=9,W=13,K=4 | H=300,W=301,K=17


# dfc: upsample(small: float64[H, W])
def upsample(small):
    h = small.shape[0]
    w = small.shape[1]
    big = np.empty((2 * h, 2 * w))
    big[0::2, 0::2] = small
    big[0::2, 1:-1:2] = 0.5 * (small[:, :-1] + small[:, 1:])
    big[0::2, -1] = small[:, -1]
    big[1:-1:2, :] = 0.5 * (big[0:-2:2, :] + big[2::2, :])
    big[-1, :] = big[-2, :]
    return big


# dfc: thirds(a: float64[H, W], b: float64[H, W], c: float32[H, W])
def thirds(a, b, c):
    out = np.zeros((a.shape[0], 3 * a.shape[1]))
    out[:, 0::3] = a
    out[:, 1::3] = b * 2.0
    out[:, 2::3] = c
    return out


# dfc: thirds_short(a: float64[H, W], b: float64[H, W])
def thirds_short(a, b):
    out = np.zeros((a.shape[0], 3 * a.shape[1]))
    out[:, 0::3] = a
    out[:, 1:-2:3] = b[:, :-1] - b[:, 1:]
    out[:, -2] = b[:, -1]
    return out


# dfc: overlap(x: float64[H, W], y: float64[H, W])
def overlap(x, y):
    out = np.zeros((x.shape[0], 4 * x.shape[1]))
    out[:, 0::2] = np.concatenate((x, y), axis=1)
    out[:, 0::4] = y + 1.0
    return out


# dfc: edge(v: float64[H], A: float64[H, W])
def edge(v, A):
    out = np.empty((A.shape[0], A.shape[1] + 1))
    out[:, 0] = v * 3.0
    out[:, 1:] = A - 1.0
    return out


# dfc: widths(X: float64[H, W], Y: float64[H, K])
def widths(X, Y):
    P = X * 2.0
    Q = np.sqrt(Y) + 1.0
    return P, Q


# dfc: dependent(x: float64[H, W])
def dependent(x):
    out = np.zeros((x.shape[0], 2 * x.shape[1]))
    out[:, 0::2] = x
    out[:, 1::2] = out[:, 0::2] * 2.0 + 1.0
    out[:, 0] = out[:, 1] + out[:, 0]
    return out
