"""redundant-copy-removal between two transients: C is read after the copy
t = C.copy(), so t cannot take C's place (case a), but t is only read and
C is never written again, so C takes t's place (case b)."""
import numpy as np

# dfc-test: sizes N=8 | N=1
# dfc-test: script tests/xform/copy_removal_fallback.recipe.yaml


# dfc: kern(A: float64[N], B: float64[N])
def kern(A, B):
    C = A + B
    t = C.copy()
    return t * C
