"""map-fusion of integer maps: the producer converts a float expression to
the int32 temporary (an explicit cast in its tasklet), which the consumer
multiplies; then the consumer fuses into the copy to the return value."""
import numpy as np

# dfc-test: script tests/xform/map_fusion_int.recipe.yaml
# dfc-test: sizes N=1 | N=50
# dfc-test: range a=-100,100


# dfc: scale(a: float64[N])
def scale(a):
    t = np.empty(a.shape[0], dtype=np.int32)
    t[:] = a * 2.5
    c = t * 3 - 1
    return c
