"""strip-mining with the default parameters (dim 0, strips of 64) of maps
whose tasklet reads nothing (np.zeros): the empty memlet that keeps the
tasklet in scope is routed through both entries."""
import numpy as np

# dfc-test: script tests/xform/strip_mining_default.recipe.yaml
# dfc-test: sizes N=200,M=3 | N=64,M=2 | N=5,M=1


# dfc: fill(A: float64[N, M])
def fill(A):
    Z = np.zeros((A.shape[0], A.shape[1]))
    return Z + A
