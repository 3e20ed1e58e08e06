"""array-layout and padding of the operands of a matmul expanded as naive
loops, which index through the strides: a column-major left operand, a
padded right operand and a padded output."""
import numpy as np

# dfc-test: sizes N=7,K=5,M=9 | N=1,K=3,M=2
# dfc-test: script tests/xform/array_layout_matmul.recipe.yaml


# dfc: kern(A: float64[N, K], B: float64[K, M])
def kern(A, B):
    T = 2.0 * A
    U = 0.5 * B
    P = T @ U
    return 1.0 + P
