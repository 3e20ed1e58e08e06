"""unroll-and-jam of a fused box blur: after otf-map-fusion every
iteration recomputes the row sums of three rows; unrolled by 4, the body
computes the sums of 6 rows for 4 output rows, each once, and a second
loop takes the last rows (fewer than 4)."""
import numpy as np

# dfc-test: script tests/xform/unroll_jam_blur.recipe.yaml
# dfc-test: sizes N=2,M=3 | N=3,M=3 | N=6,M=5 | N=7,M=4 | N=13,M=29 | N=14,M=8


# dfc: blur(img: float64[N, M])
def blur(img):
    rows = (img[:, :-2] + img[:, 1:-1] + img[:, 2:]) / 3.0
    return (rows[:-2, :] + rows[1:-1, :] + rows[2:, :]) / 3.0
