"""library-expansion with BLAS of vector-vector products (cblas_ddot/sdot):
whole vectors, offset slices (x[1:] @ y[:-1]), strided ones (incx 2, with
an offset), np.dot, and float32. With N=1, x[1:] @ y[:-1] and
x[1::2] @ y[1::2] are empty: 0."""
import numpy as np

# dfc-test: script tests/xform/library_expansion_dot.recipe.yaml
# dfc-test: sizes N=50 | N=1 | N=1001 | N=2


# dfc: dot(x: float64[N], y: float64[N], u: float32[N], v: float32[N])
def dot(x, y, u, v):
    a = x @ y
    b = x[1:] @ y[:-1]
    c = x[::2] @ y[::2]
    d = np.dot(x[1::2], y[1::2])
    e = u @ v
    return a, b, c, d, e
