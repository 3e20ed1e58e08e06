"""vectorize refuses a body calling a math function with no vector form:
exp of a complex (libm's cexp; libmvec has only the real functions)."""
import numpy as np


# dfc: k(a: complex128[N])
def k(a):
    return np.exp(a)
