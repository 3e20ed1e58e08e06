"""horizontal-map-fusion refuses maps with different vectorization hints
(the first vectorized by the recipe, the second not): the fused map
would carry one hint for both bodies."""
import numpy as np


# dfc: kern(x: float64[N], a: float64[N], b: float64[N])
def kern(x, a, b):
    a[:] = x + 1.0
    b[:] = x * 2.0
