"""Several kernels in one file with different size symbols, sharing helper
functions; a kernel without a return; kernels calling the same helper on
arguments of different ranks and dtypes."""
import numpy as np

# dfc-test: sizes N=7,M=5,P=3 | N=2,M=9,P=1


def scale_to_unit(v):
    """v scaled so that its largest magnitude is 1."""
    return v / np.max(np.abs(v))


def add_bias(A, b):
    """A += b, broadcast over rows, in place."""
    A += b


def energy(v):
    """Sum of squares."""
    return np.sum(v * v)


# dfc: k_vec(x: float64[N])
def k_vec(x):
    """The helpers on a vector."""
    y = scale_to_unit(x)
    return y, energy(y)


# dfc: k_mat(A: float64[M, P], b: float64[P])
def k_mat(A, b):
    """The helpers on a matrix (broadcast bias) and its transpose."""
    add_bias(A, b)
    return scale_to_unit(A.T), energy(A)


# dfc: k_f32(z: float32[N, P])
def k_f32(z):
    """The helpers on float32 data keep float32."""
    w = scale_to_unit(z)
    return w, energy(w)


# dfc: k_noreturn(A: float64[M, P], x: float64[N])
def k_noreturn(A, x):
    """Only in-place updates, of two arguments of unrelated sizes."""
    add_bias(A, 1.0)
    x[::2] = scale_to_unit(x[::2])


# dfc: k_int(a: int64[N], b: int64[P])
def k_int(a, b):
    """An integer kernel next to float ones: energy is an integer here."""
    return energy(a) + energy(b), a * 2 - np.sum(b)
