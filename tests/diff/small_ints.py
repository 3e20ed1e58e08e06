"""Narrow and unsigned integer dtypes: wrap-around inside fused expressions
(uint8 sums compared, negated, divided), int32 overflow, mixed signedness."""
import numpy as np

# dfc-test: sizes N=40 | N=5
# dfc-test: range a=0,255
# dfc-test: range b=0,255


# dfc: u8_wrap(a: uint8[N], b: uint8[N])
def u8_wrap(a, b):
    """uint8 sums wrap before comparisons and divisions; -a wraps too."""
    return (a + b) > 200, (a + b) // 2, (-a) // 2, a - b, np.max(a + a), np.sum(a + a)


# dfc: i8_i16(a: int8[N], b: int16[N])
def i8_i16(a, b):
    """int8 products wrap; int16 shifts drop the high bits."""
    return (a * a) % 7, (b << 9) >> 9, a + b, a * 100


# dfc: signedness(a: uint32[N], b: int32[N], c: uint64[N], d: int64[N])
def signedness(a, b, c, d):
    """uint32 with int32 -> int64; uint64 with int64 -> float64."""
    return a - b, a * 2, a // 3 - b, c + d, c - 1


# dfc: u8_elems(a: uint8[N], b: uint8[N])
def u8_elems(a, b):
    """uint8 scalars read from arrays wrap too."""
    c = 0
    for i in range(a.shape[0]):
        if a[i] + b[i] > 250:
            c += 1
    return c


# dfc: i32_overflow(a: int32[N])
def i32_overflow(a):
    """int32 products that overflow wrap around, in arrays and scalars."""
    out = np.zeros_like(a)
    for i in range(a.shape[0]):
        out[i] = (a[i] * 100000 * a[i]) // 7
    return (a * 100000 * a) // 3, (a * a * a * a) % 1000, out
