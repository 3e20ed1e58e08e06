"""horizontal-map-fusion of two per-column sums in states apart (a
column mean and the mean inside a column std): the state dividing the
first sum stays after the fused map, the one zeroing the second sum moves
before it, and X is read once for both sums."""
import numpy as np

# dfc-test: sizes N=11,M=7 | N=1,M=1 | N=300,M=301
# dfc-test: script tests/xform/horizontal_fusion_columns.recipe.yaml


# dfc: zcols(X: float64[N, M])
def zcols(X):
    mu = X.mean(axis=0)
    sigma = X.std(axis=0)
    return (X - mu) / sigma
