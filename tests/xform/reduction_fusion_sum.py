"""reduction-fusion of an elementwise product into the sum that alone
reads it: the products accumulate straight into the sum, past the state
that fills the accumulator, and the temporary t disappears."""
import numpy as np

# dfc-test: script tests/xform/reduction_fusion_sum.recipe.yaml
# dfc-test: sizes N=1 | N=100


# dfc: dot(a: float64[N], b: float64[N])
def dot(a, b):
    t = a * b
    s = np.sum(t)
    return s
