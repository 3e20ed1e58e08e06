"""dead-dataflow-elimination after state-fusion: t is computed but never
read, so its map, its access node and the container go, while u, computed
in the same state from the same input, stays."""
import numpy as np

# dfc-test: script tests/xform/dead_dataflow_fused.recipe.yaml
# dfc-test: sizes N=1 | N=30


# dfc: unused(a: float64[N], b: float64[N])
def unused(a, b):
    t = np.exp(a)
    u = 2.0 * a + b
    return u
