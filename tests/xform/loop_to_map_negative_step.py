"""loop-to-map of a loop with a negative step: range(N - 1, 0, -2) runs
over N - 1, N - 3, ... > 0, which the map covers in increasing order as
[N % 2 + 1:N:2]."""
import numpy as np

# dfc-test: script tests/xform/loop_to_map_negative_step.recipe.yaml
# dfc-test: sizes N=37 | N=10 | N=2 | N=1 | N=0


# dfc: odd_steps(x: float64[N], y: float64[N])
def odd_steps(x, y):
    for i in range(x.shape[0] - 1, 0, -2):
        y[i] = x[i] * x[i - 1]
