"""library-expansion with impl naive, which is always legal: on an int64
product (which BLAS cannot compute) and on a float64 one expanded with
BLAS first and then back to naive loops."""
import numpy as np

# dfc-test: script tests/xform/library_expansion_naive.recipe.yaml
# dfc-test: sizes N=20,M=17 | N=1,M=1
# dfc-test: range I=-50,50


# dfc: mixed(I: int64[N, M], J: int64[M, N], A: float64[N, M], x: float64[M])
def mixed(I, J, A, x):
    return I @ J, A @ x
