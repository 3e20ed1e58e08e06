"""reduction-recognition of a dot product: s = s + x[i] * y[i] becomes a
parallel map whose tasklet computes x[i] * y[i] and writes s with a sum
WCR; the read of s goes. The sum is reassociated, so the result may
differ from the sequential loop in the last bits."""
import numpy as np

# dfc-test: script tests/xform/reduction_dot.recipe.yaml
# dfc-test: sizes N=37 | N=1 | N=0


# dfc: dot(x: float64[N], y: float64[N])
def dot(x, y):
    s = 0.0
    for i in range(x.shape[0]):
        s += x[i] * y[i]
    return s
