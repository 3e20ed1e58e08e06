"""vectorize on logic on bools: the backend prints it in a hinted map as
bytes (| and & on uint8, then != 0; tests/wrap/vector_shapes.py checks
the C): `|`, `&`, np.logical_or/and and comparisons mixed."""
import numpy as np

# dfc-test: script tests/xform/vectorize_bool_logic.recipe.yaml
# dfc-test: sizes N=1,M=1 | N=37,M=29
# dfc-test: range x=-1,1


# dfc: closure_step(R: bool[N, M], c: bool[N], r: bool[M], x: float64[N, M])
def closure_step(R, c, r, x):
    S = R | (c[:, None] & r[None, :])
    T = np.logical_and(x > 0.0, np.logical_or(R, ~S)) | (x < -0.5)
    return S, T
