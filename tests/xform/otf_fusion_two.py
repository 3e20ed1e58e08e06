"""otf-map-fusion into two readers: d = a - b is read by the sum of its
squares (after reduction-fusion) and, at two offsets, by the last map;
both recompute a[i] - b[i] and d disappears."""
import numpy as np

# dfc-test: script tests/xform/otf_fusion_two.recipe.yaml
# dfc-test: sizes N=2 | N=65


# dfc: two(a: float64[N], b: float64[N])
def two(a, b):
    d = a - b
    s = np.sum(d * d)
    return (d[1:] + d[:-1]) / (s + 1.0)
