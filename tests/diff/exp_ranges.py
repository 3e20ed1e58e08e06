"""np.exp where the result leaves the normal range: 0.0 below the
smallest subnormal, subnormal results, inf above the largest double, and
a softmax of wide logits (most of its exponentials underflow), on every
vector lane: glibc's vector exp hands a vector with such a lane to the
scalar exp (docs/transformations.md, "exp out of the normal range"). The
subnormal kernels scale their results to units of the smallest subnormal
(2^-1074, 2^-149), so that the comparison sees each unit: atol 4 there,
the error of a few units that a <= 4-ulp exp may have near the normal
range."""
import numpy as np

# dfc-test: sizes N=203,M=37 | N=17,M=5 | N=16,M=1
# dfc-test: range x=-800,800
# dfc-test: range w=-3000,3000
# dfc-test: range b=-745.1,-708.4
# dfc-test: range bf=-103.9,-87.4
# dfc-test: atol subnormal64=4
# dfc-test: atol subnormal32=4


def specials(x):
    """x with the arguments at and around the edges of exp's range."""
    s = x.copy()
    s[0::16] = np.nan
    s[1::16] = np.inf
    s[2::16] = -np.inf
    s[3::16] = -0.0
    s[4::16] = -745.2
    s[5::16] = -746.0
    s[6::16] = -744.0
    s[7::16] = -708.39
    s[8::16] = -708.4
    s[9::16] = -708.0
    s[10::16] = 709.78
    s[11::16] = 709.79
    s[12::16] = 709.8
    s[13::16] = 1e300
    s[14::16] = -1e300
    s[15::16] = 0.5
    return s


# dfc: exp64(x: float64[N])
def exp64(x):
    """exp of float64 over [-800, 800] with the edges on every lane."""
    s = specials(x)
    return np.exp(s), np.exp(s) == 0.0, np.exp(x * 0.01)


# dfc: exp32(x: float32[N])
def exp32(x):
    """exp of float32 over [-800, 800] (mostly 0 or inf) and [-104, 89]."""
    s = specials(x)
    t = x * np.float32(0.12)
    return np.exp(s), np.exp(s) == np.float32(0.0), np.exp(t)


# dfc: subnormal64(b: float64[N])
def subnormal64(b):
    """Subnormal results of exp in units of 2^-1074."""
    return np.exp(b) * 2.0 ** 537 * 2.0 ** 537


# dfc: subnormal32(bf: float32[N])
def subnormal32(bf):
    """Subnormal float32 results of exp in units of 2^-149."""
    return np.exp(bf) * np.float32(2.0 ** 75) * np.float32(2.0 ** 74)


# dfc: softmax_wide(w: float64[N, M])
def softmax_wide(w):
    """Rows of logits spread over [-3000, 3000]."""
    e = np.exp(w - np.max(w, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


# dfc: softmax_wide32(w: float32[N, M])
def softmax_wide32(w):
    """The same in float32."""
    e = np.exp(w - np.max(w, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)
