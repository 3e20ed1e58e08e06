"""Integers computed from the data that meet arrays of narrower integer
dtypes, which NumPy types by their value: dfc compiles the array's dtype
and tests each such integer at run time (the IR's fits, docs/ir.md). The
inputs' integers lie in [0, 10), so every test passes here and the
results must be NumPy's; tests/wrap/scalar_fits.py checks the failures.
The row loop tests a value per row inside a parallel loop."""
import numpy as np

# dfc-test: sizes N=1,M=1 | N=7,M=5 | N=64,M=33


# dfc: shift(u: uint8[N, M], x: int64[N])
def shift(u, x):
    return u + int(x[0]), u * x.max(), np.where(u > 3, u, x.min())


# dfc: rows(u: uint16[N, M], x: int64[N])
def rows(u, x):
    for i in range(u.shape[0]):
        u[i, :] -= x[i]
    return u


# dfc: total(a: int8[N, M], x: int32[N])
def total(a, x):
    k = int(x.sum() % 100)
    return a // (k + 1), a - k
