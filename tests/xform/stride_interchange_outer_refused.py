"""stride-interchange refuses to make the outer loop, which the threads of
the map share, one of a single value: v[:, None] has one column, and its
rows are consecutive in memory."""
import numpy as np


# dfc: as_column(v: float64[N])
def as_column(v):
    return v[:, None] * 2.0
