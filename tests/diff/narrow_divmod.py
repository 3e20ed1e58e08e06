"""Floor division and modulo of integers of up to 32 bits, which dfc
computes in double (exact there, and vectorizable: codegen/openmp/expr.c,
floordiv_narrow): both signs, zero divisors (0, as NumPy gives), the
extremes of each dtype and MIN // -1 (wraps), divisors known only at run
time (a size)."""
import numpy as np

# dfc-test: sizes N=257 | N=5
# dfc-test: range x8=-128,127
# dfc-test: range y8=-3,3
# dfc-test: range x16=-32768,32767
# dfc-test: range y16=-300,300
# dfc-test: range x32=-2147483648,2147483647
# dfc-test: range y32=-70000,70000
# dfc-test: range u16=0,65535
# dfc-test: range v16=0,700
# dfc-test: range u32=0,4294967295
# dfc-test: range v32=0,100000


# dfc: divmod8(x8: int8[N], y8: int8[N])
def divmod8(x8, y8):
    """Divisors from -3 to 3, zero among them; -128 // -1 wraps to -128."""
    lo = np.full(x8.shape[0], -128, dtype=np.int8)
    m1 = np.full(x8.shape[0], -1, dtype=np.int8)
    return x8 // y8, x8 % y8, lo // m1, lo % m1, x8 // np.int8(-7), x8 % 5


# dfc: divmod16(x16: int16[N], y16: int16[N], u16: uint16[N], v16: uint16[N])
def divmod16(x16, y16, u16, v16):
    """The whole int16 and uint16 ranges; a divisor made of the size."""
    n = x16.shape[0]
    d = np.int16(n) + np.int16(44)
    return (x16 // y16, x16 % y16, x16 // d, x16 % -d, u16 // v16, u16 % v16,
            u16 // np.uint16(n))


# dfc: divmod32(x32: int32[N], y32: int32[N], u32: uint32[N], v32: uint32[N])
def divmod32(x32, y32, u32, v32):
    """The whole int32 and uint32 ranges, where the quotient's rounding
    error in double is closest to the gap between integers: large
    dividends over small divisors, INT32_MIN // -1 wrapping."""
    lo = np.full(x32.shape[0], -2147483648, dtype=np.int32)
    m1 = np.full(x32.shape[0], -1, dtype=np.int32)
    big = x32 | np.int32(0x7fff0000)
    return (x32 // y32, x32 % y32, lo // m1, lo % m1, big // (y32 % 7 + 1),
            big % (y32 % 7 - 8), u32 // v32, u32 % v32, u32 // np.uint32(3))
