"""Blocks from the second on (range(1, T)): the product over all of them
reads x[1:T] into max(T - 1, 0) blocks, read at block t - 1."""
import numpy as np

# dfc-test: script tests/xform/loop_to_matmul_blocks_offset.recipe.yaml
# dfc-test: sizes T=4,N=3,D=5,E=2 | T=1,N=1,D=1,E=1 | T=3,N=2,D=7,E=4


# dfc: k(x: float64[T, N, D], W: float64[D, E], B: float64[T, N, E])
def k(x, W, B):
    for t in range(1, x.shape[0]):
        B[t - 1] = x[t] @ W + B[t]
