"""map-tiling refuses local: true when the box a tile reads has no
constant size: x[i] and x[N - 1 - i] together span from the tile to its
mirror image."""
import numpy as np


# dfc: mirror(x: float64[N], y: float64[N])
def mirror(x, y):
    y[:] = x[::-1] + x
