"""dead-dataflow-elimination keeps a library node's outputs: after
matvec-fusion, atax's matvec_pair computes tmp = A x on its way to
A^T tmp; nothing else reads tmp, but the node writes it, so nothing in
the state is dead (removing the write would leave the node without a
required output: an internal error before this was fixed)."""
import numpy as np

# dfc: atax_once(A: float64[M, N], x: float64[N])
def atax_once(A, x):
    tmp = A @ x
    return A.T @ tmp
