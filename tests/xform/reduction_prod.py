"""reduction-recognition of an integer product written as p = f(i) * p (the
accumulator on the right): the write to p gets a prod WCR. Integer
products wrap the same in any order, so the result is exact."""
import numpy as np

# dfc-test: script tests/xform/reduction_prod.recipe.yaml
# dfc-test: sizes N=37 | N=2 | N=0


# dfc: prod(x: int64[N])
def prod(x):
    p = 1
    for i in range(x.shape[0]):
        p = (x[i] % 3 + 1) * p
    return p
