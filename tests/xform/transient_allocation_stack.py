"""transient-allocation on the stack: a vector of 16 (np.zeros(16)), a
4x3 temporary that is first padded to rows of 8 (its stack array holds
the padded span), and a 0-d sum (a scalar local, storage register); a
temporary moved to the stack and back to the heap keeps dfcrt_alloc."""
import numpy as np

# dfc-test: sizes N=10 | N=1 | N=0
# dfc-test: script tests/xform/transient_allocation_stack.recipe.yaml


# dfc: kern(x: float64[N], C: float64[4, 3])
def kern(x, C):
    z = np.zeros(16)
    z[2:5] = 3.0 * C[1, :]
    D = 2.0 * C + z[3]
    t = np.sum(x)
    H = 1.0 + C
    y = 0.5 * t * x + D[2, 1] + H[3, 2]
    return y, D - 1.0, z
