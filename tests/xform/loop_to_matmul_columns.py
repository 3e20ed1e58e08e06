"""The vectors run down the columns of A: the product over all of them
reads A transposed (lib.trans), from the second column on (max(M - 1, 0) rows)."""
import numpy as np

# dfc-test: script tests/xform/loop_to_matmul_columns.recipe.yaml
# dfc-test: sizes K=4,M=6,N=3 | K=1,M=1,N=1 | K=7,M=2,N=5


# dfc: columns(A: float64[K, M], W: float64[K, N])
def columns(A, W):
    B = np.zeros((W.shape[1], A.shape[1]))
    for j in range(1, A.shape[1]):
        B[:, j] = A[:, j] @ W
    return B
