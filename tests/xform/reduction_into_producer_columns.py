"""reduction-into-producer into column sums: the returned product t is
written and each element added into c[j] of its column, in one map."""
import numpy as np

# dfc-test: script tests/xform/reduction_into_producer_columns.recipe.yaml
# dfc-test: sizes N=1,M=1 | N=41,M=23


# dfc: k(a: float32[N, M], b: float32[N, M])
def k(a, b):
    t = a * b
    c = np.sum(t, axis=0)
    return t, c
