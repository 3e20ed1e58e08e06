"""state-fusion inside a loop body: two independent statements (both only
read a and b) and their successor, which reads both results."""
import numpy as np

# dfc-test: script tests/xform/state_fusion_loop.recipe.yaml
# dfc-test: sizes N=1 | N=40


# dfc: loop(a: float64[N], b: float64[N], c: float64[N])
def loop(a, b, c):
    for i in range(4):
        u = 2.0 * a + b
        v = 3.0 * b - a
        c += u * v
