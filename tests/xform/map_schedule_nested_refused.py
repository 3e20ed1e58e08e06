"""map-schedule refuses cpu_parallel for a map nested inside a parallel
map: after map-tiling, the inner map over a tile's points sits inside the
parallel map over tile origins, and parallel regions do not nest."""
import numpy as np


# dfc: axpy(a: float64, x: float64[N], y: float64[N])
def axpy(a, x, y):
    y[:] = a * x + y
