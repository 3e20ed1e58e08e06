"""map-fusion of 2-D maps: the producer reads a row vector broadcast along
the first dimension, the consumer updates an argument in place and reads
the temporary twice."""
import numpy as np

# dfc-test: script tests/xform/map_fusion_broadcast.recipe.yaml
# dfc-test: sizes N=1,M=1 | N=17,M=33


# dfc: center(X: float64[N, M], mu: float64[M], Y: float64[N, M])
def center(X, mu, Y):
    d = X - mu
    Y[:] = d * d + Y
