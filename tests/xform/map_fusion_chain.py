"""map-fusion of a chain of elementwise statements: the temporary t moves
into the map computing c (which reads it twice), then c into the map that
copies it to the return value. Both temporaries disappear."""
import numpy as np

# dfc-test: script tests/xform/map_fusion_chain.recipe.yaml
# dfc-test: sizes N=1 | N=100


# dfc: chain(a: float64[N], b: float64[N])
def chain(a, b):
    t = a * b
    c = np.exp(t) + t
    return c
