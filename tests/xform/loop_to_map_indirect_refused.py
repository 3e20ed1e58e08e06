"""loop-to-map refuses a histogram loop: the update h[idx[i]] reads and
writes the whole range h[0:N] that a data-dependent index may touch."""
import numpy as np


# dfc: hist(h: float64[N], idx: int64[M], w: float64[M])
def hist(h, idx, w):
    for i in range(idx.shape[0]):
        h[idx[i]] += w[i] * 2.0
