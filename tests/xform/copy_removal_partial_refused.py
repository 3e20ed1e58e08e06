"""redundant-copy-removal must refuse case (c) when the copy moves part of
what the producer computed: t = 2 * x fills all of t, and x[:k] = t[:k]
copies its first k elements only, so the producer cannot write into x in
t's place (it would write x[k:] too)."""
import numpy as np


# dfc: kern(x: float64[N], k: int64)
def kern(x, k):
    t = 2.0 * x
    x[:k] = t[:k]
    return x
