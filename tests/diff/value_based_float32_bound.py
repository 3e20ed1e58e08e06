"""NumPy 1.24's value-based casting decides whether a Python float fits
float32 with the strict literal bounds -3.4e38 < v < 3.4e38 (and float16
with -65000 < v < 65000), not with FLT_MAX: float32_array + 3.4e38 is
float64 in NumPy (3.4e38 < FLT_MAX = 3.4028235e38), float32 with dfc."""
import numpy as np

# dfc-test: sizes N=4


# dfc: vb_float32_bound(f: float32[N])
def vb_float32_bound(f):
    """float64 and float32 in NumPy."""
    return f + 3.4e38, f + 3.3e38
