"""otf-map-fusion of a 1-D 3-point stencil of an elementwise temporary:
each t[i + k] the second map reads becomes a[i + k] * a[i + k] + 1.0."""
import numpy as np

# dfc-test: script tests/xform/otf_fusion_stencil.recipe.yaml
# dfc-test: sizes N=2 | N=3 | N=100


# dfc: lap(a: float64[N])
def lap(a):
    t = a * a + 1.0
    return t[2:] - 2.0 * t[1:-1] + t[:-2]
