"""horizontal-map-fusion of two maps in consecutive states: both read x and
write different arguments, so one map computes both."""
import numpy as np

# dfc-test: sizes N=11 | N=1
# dfc-test: script tests/xform/horizontal_fusion_states.recipe.yaml


# dfc: kern(x: float64[N], a: float64[N], b: float64[N])
def kern(x, a, b):
    a[:] = x + 1.0
    b[:] = x * 2.0
