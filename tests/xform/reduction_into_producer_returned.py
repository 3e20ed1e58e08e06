"""reduction-into-producer with a returned producer output: the mask is
returned, so reduction-fusion cannot remove it; the count moves into the
compare map, which writes the mask and counts it in one pass (the count's
zeroing moves before it)."""
import numpy as np

# dfc-test: script tests/xform/reduction_into_producer_returned.recipe.yaml
# dfc-test: sizes N=1,M=1 | N=37,M=29


# dfc: k(a: float64[N, M])
def k(a):
    mask = a > 0.5
    n = np.count_nonzero(mask)
    return mask, n
