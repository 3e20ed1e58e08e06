"""x.real of a real array is the array itself (a view): a name bound to it
sees later writes into x, as in NumPy; reading parts of complex arrays
that nothing writes afterwards is a plain read."""
import numpy as np

# dfc-test: sizes N=5 | N=12


# dfc: real_of_real(x: float64[N])
def real_of_real(x):
    r = x.real
    x[0] = 100.0
    return r + 0.0, x.imag + 1.0


# dfc: parts_kept(z: complex128[N])
def parts_kept(z):
    re = z.real
    im = z.imag
    return re * im, np.sum(re)
