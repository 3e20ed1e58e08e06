"""loop-to-map of a loop over the inner rows of a 5-point stencil: every
iteration reads three rows of A and writes one row of B, so the rows read
overlap between iterations but nothing read is written: no dependence."""
import numpy as np

# dfc-test: script tests/xform/loop_to_map_stencil.recipe.yaml
# dfc-test: sizes N=37,M=45 | N=3,M=3 | N=2,M=5


# dfc: stencil(A: float64[N, M], B: float64[N, M])
def stencil(A, B):
    for i in range(1, A.shape[0] - 1):
        B[i, 1:-1] = 0.2 * (A[i, 1:-1] + A[i - 1, 1:-1] + A[i + 1, 1:-1] +
                            A[i, :-2] + A[i, 2:])
