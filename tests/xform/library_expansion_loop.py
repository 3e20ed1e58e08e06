"""library-expansion with BLAS of products inside a loop (power
iteration): a gemv and a dot called once per iteration."""
import numpy as np

# dfc-test: script tests/xform/library_expansion_loop.recipe.yaml
# dfc-test: sizes N=40 | N=1 | N=130
# dfc-test: args T=6
# dfc-test: range 0.5,1.5


# dfc: power(A: float64[N, N], x: float64[N], T: int64)
def power(A, x, T):
    for t in range(T):
        y = A @ x
        x[:] = y / np.sqrt(y @ y)
    return x @ (A @ x)
