"""map-tiling with local: true on 1-D maps: axpy, whose y is read and
written at the same element (allowed: each point reads only what it
writes), and a reversed read (the box of a tile starts at its mirror
image, N - 1 - the tile's last point, which the buffer's origin follows;
the buffer keeps the constant extent of a full tile), and a strided read
x[3*i], whose box is strided too: the copy moves every third element into
a buffer of 3*(T - 1) + 1."""
import numpy as np

# dfc-test: script tests/xform/map_tiling_local_1d.recipe.yaml
# dfc-test: sizes N=100 | N=7 | N=32 | N=33 | N=1


# dfc: axpy(a: float64, x: float64[N], y: float64[N])
def axpy(a, x, y):
    y[:] = a * x + y


# dfc: rev(x: float64[N], y: float64[N])
def rev(x, y):
    y[:] = x[::-1] * 2.0


# dfc: every(x: float64[N], y: float64[N])
def every(x, y):
    y[::3] = x[::3] * 2.0
