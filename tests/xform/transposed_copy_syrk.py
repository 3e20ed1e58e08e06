"""transposed-copy on syrk and syr2k: the column reads A[:i + 1, k]
(and B[:i + 1, k]) of the inner map read a transposed copy made once
before the row loop, A_T[k, :i + 1]; the row reads A[i, k] stay. The
results are bit-identical (each element sums the same products in the
same order)."""
import numpy as np

# dfc-test: script tests/xform/transposed_copy_syrk.recipe.yaml
# dfc-test: sizes N=9,M=7 | N=1,M=2 | N=17,M=3
# dfc-test: args alpha=1.5 beta=1.2


# dfc: syrk(alpha: float64, beta: float64, C: float64[N, N], A: float64[N, M])
def syrk(alpha, beta, C, A):
    for i in range(A.shape[0]):
        C[i, :i + 1] *= beta
        for k in range(A.shape[1]):
            C[i, :i + 1] += alpha * A[i, k] * A[:i + 1, k]


# dfc: syr2k(alpha: float64, beta: float64, C: float64[N, N], A: float64[N, M], B: float64[N, M])
def syr2k(alpha, beta, C, A, B):
    for i in range(A.shape[0]):
        C[i, :i + 1] *= beta
        for k in range(A.shape[1]):
            C[i, :i + 1] += alpha * (A[:i + 1, k] * B[i, k] + B[:i + 1, k] * A[i, k])
