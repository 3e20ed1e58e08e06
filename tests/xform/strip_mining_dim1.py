"""strip-mining of the second parameter of a 2-D map: an outer map over
strips of 8 columns around a map over all rows and the strip's columns;
the body reads a neighbour column and a broadcast vector."""
import numpy as np

# dfc-test: script tests/xform/strip_mining_dim1.recipe.yaml
# dfc-test: sizes N=13,M=45 | N=3,M=8 | N=4,M=1


# dfc: shift(A: float64[N, M], v: float64[M])
def shift(A, v):
    return A[:, 1:] - A[:, :-1] + v[1:]
