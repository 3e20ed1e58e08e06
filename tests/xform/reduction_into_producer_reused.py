"""reduction-into-producer with a transient that a later state reads (as
in pagerank): the conversion map writes A and accumulates its row sums,
and the product then reads A."""
import numpy as np

# dfc-test: script tests/xform/reduction_into_producer_reused.recipe.yaml
# dfc-test: sizes N=1 | N=33


# dfc: k(b: int32[N, N])
def k(b):
    A = b.astype(np.float64)
    r = np.sum(A, axis=1)
    return r @ A
