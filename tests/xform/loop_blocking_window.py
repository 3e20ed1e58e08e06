"""loop-blocking of two nested loops (a 3x3 min/max window over an
image): the outer loop's body holds the inner loop, whose maps write the
rows of lo and hi pointwise; blocks of 2 rows, run sequentially
(`parallel: false`)."""
import numpy as np

# dfc-test: sizes N=3,M=3 | N=4,M=5 | N=9,M=4 | N=30,M=17
# dfc-test: script tests/xform/loop_blocking_window.recipe.yaml


# dfc: kern(img: float64[N, M])
def kern(img):
    lo = img[1:-1, 1:-1].copy()
    hi = img[1:-1, 1:-1].copy()
    for di in range(3):
        for dj in range(3):
            w = img[di:di + img.shape[0] - 2, dj:dj + img.shape[1] - 2]
            lo = np.minimum(lo, w)
            hi = np.maximum(hi, w)
    return hi - lo
