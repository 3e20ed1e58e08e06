"""Found by tests/stress (seed 1): float ufuncs of int16/uint16 arrays are
float32 in NumPy (the smallest float that holds every value), float64 with
dfc. int32/int64 give float64, as dfc does."""
import numpy as np

# dfc-test: sizes N=5


# dfc: cos_u16(a: uint16[N])
def cos_u16(a):
    """float32 in NumPy."""
    return np.cos(a)


# dfc: sqrt_i16(a: int16[N])
def sqrt_i16(a):
    """float32 in NumPy."""
    return np.sqrt(a)


# dfc: exp_sin_i16(a: int16[N], b: float32[N])
def exp_sin_i16(a, b):
    """float32 throughout: the float32 result combined with float32 b."""
    return np.exp(np.sin(a)) * b
