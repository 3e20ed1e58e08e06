"""loop-parallelize refuses a loop of fewer iterations than threads may
have (3 colour channels): the maps inside keep their own parallelism."""
import numpy as np


# dfc: kern(img: float64[3, N, M], out: float64[3, N, M])
def kern(img, out):
    for c in range(3):
        for i in range(img.shape[1]):
            out[c, i, :] = img[c, i, :] * 2.0
        if c > 0:
            out[c, 0, 0] = 1.0
