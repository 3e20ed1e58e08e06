"""state-fusion of three consecutive states: each reads what the previous
one wrote, so the reads join the write access nodes (t, then c) and the
maps are ordered by those edges in the one state that remains."""
import numpy as np

# dfc-test: script tests/xform/state_fusion_chain.recipe.yaml
# dfc-test: sizes N=1 | N=100


# dfc: chain(a: float64[N], b: float64[N])
def chain(a, b):
    t = a * b
    c = np.exp(t) + a
    return c
