"""padding of the 2-D temporaries of stencils: T, of symbolic width M,
gets rows of M rounded up to a multiple of 8 (the default); D, of
constant width 5, rows of 8 (the default); F rows of 5 + 3 (pad: 3).
Strides change, indices do not: the results are the same."""
import numpy as np

# dfc-test: sizes N=9,M=13 | N=3,M=8 | N=4,M=3
# dfc-test: script tests/xform/padding_stencil.recipe.yaml


# dfc: kern(A: float64[N, M], C: float64[6, 5])
def kern(A, C):
    T = 0.5 * A + 1.0
    B = 0.25 * (T[1:-1, :-2] + T[1:-1, 2:] + T[:-2, 1:-1] + T[2:, 1:-1])
    D = 2.0 * C
    E = D[1:, :] + D[:-1, ::-1]
    F = 1.0 - C
    return B, E, np.sum(F, axis=1)
