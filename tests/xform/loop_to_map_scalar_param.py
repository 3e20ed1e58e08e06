"""loop-to-map of an axpy written as a loop: the scalar parameter a is
only read, so it is no dependence; y[i] is read and written by the same
iteration only. The tasklet sits directly in the new map."""
import numpy as np

# dfc-test: script tests/xform/loop_to_map_scalar_param.recipe.yaml
# dfc-test: sizes N=101 | N=1 | N=0
# dfc-test: args a=0.75


# dfc: axpy(a: float64, x: float64[N], y: float64[N])
def axpy(a, x, y):
    for i in range(x.shape[0]):
        y[i] = a * x[i] + y[i]
