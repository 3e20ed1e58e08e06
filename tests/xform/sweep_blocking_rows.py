"""sweep-blocking of layer normalisation: every map treats row i alone
(the row means reduce over columns only), so the run goes block by block
over the rows; the matcher tries the innermost parameter (columns) first,
which the row reductions refuse, then the rows."""
import numpy as np

# dfc-test: sizes N=30,D=7 | N=37,D=33 | N=1,D=20
# dfc-test: script tests/xform/sweep_blocking_rows.recipe.yaml


# dfc: kern(X: float64[N, D], w: float64[D], b: float64[D])
def kern(X, w, b):
    mu = X.mean(axis=1, keepdims=True)
    xc = X - mu
    var = np.mean(xc * xc, axis=1, keepdims=True)
    return xc / np.sqrt(var + 1e-5) * w + b
