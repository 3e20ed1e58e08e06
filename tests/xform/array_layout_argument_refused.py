"""array-layout refuses an argument: its layout is the caller's (the C ABI
passes row-major arrays)."""
import numpy as np


# dfc: kern(A: float64[N, M])
def kern(A):
    return 2.0 * A + 1.0
