"""loop-parallelize on a loop whose body is a map (what loop-to-map makes
of the inner loop of a window sum) that each iteration of which writes
the scalar `sum` before it reads it: nothing outside the map touches the
scalar, so it is private to the thread, and the map's iterations, which
the thread runs in turn, each start it afresh. One fork instead of one
per row."""
import numpy as np

# dfc-test: script tests/xform/loop_parallelize_map_scalar.recipe.yaml
# dfc-test: sizes N=4,M=5,K=2 | N=9,M=3,K=3 | N=70,M=60,K=4


# dfc: windows(img: float64[N, M], w: float64[K, K])
def windows(img, w):
    k = w.shape[0]
    out = np.zeros((max(img.shape[0] - k + 1, 0), max(img.shape[1] - k + 1, 0)))
    for i in range(img.shape[0] - k + 1):
        for j in range(img.shape[1] - k + 1):
            out[i, j] = np.sum(img[i:i + k, j:j + k] * w)
    return out
