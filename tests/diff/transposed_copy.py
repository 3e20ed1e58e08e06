"""transposed-copy after loop-parallelize (the -O3 order; the recipe
transposed_copy.recipe.yaml, since -O3 itself turns these nests into
products first, rank-update-to-matmul): loop nests that read 2-D arrays
down their columns in the innermost map parameter read a transposed copy
made once before the nest (syrk, syr2k, a transient source, a shifted
column, a float32 array, an outer repeat loop, a write after the nest);
results must match NumPy's loops exactly (each element sums the same
products in the same order)."""
import numpy as np

# dfc-test: script tests/diff/transposed_copy.recipe.yaml
# dfc-test: sizes N=9,M=7 | N=1,M=2 | N=17,M=3 | N=33,M=40
# dfc-test: args alpha=1.5 beta=1.2 T=3
# dfc-test: rtol 0
# dfc-test: atol 0


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


# dfc: syrk_transient(C: float64[N, N], A: float64[N, M])
def syrk_transient(C, A):
    """The columns read are those of a temporary computed before the nest."""
    S = 2.0 * A - 1.0
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            C[i, :i + 1] += S[i, k] * S[:i + 1, k]


# dfc: shifted(C: float64[N, N], A: float64[N, M])
def shifted(C, A):
    """A column read at an offset: A[1:i + 1, k], the lower triangle below the diagonal."""
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            C[i, :i] += A[i, k] * A[1:i + 1, k]


# dfc: syrk32(C: float32[N, N], A: float32[N, M])
def syrk32(C, A):
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            C[i, :i + 1] += A[i, k] * A[:i + 1, k]


# dfc: repeated(C: float64[N, N], A: float64[N, M], T: int64)
def repeated(C, A, T):
    """An outer repeat loop: the copy goes before it, made once."""
    for t in range(T):
        for i in range(A.shape[0]):
            for k in range(A.shape[1]):
                C[i, :i + 1] += 0.5 * A[i, k] * A[:i + 1, k]


# dfc: written_after(C: float64[N, N], A: float64[N, M])
def written_after(C, A):
    """A is written after the nest: the copy, made before it, is still exact."""
    for i in range(A.shape[0]):
        for k in range(A.shape[1]):
            C[i, :i + 1] += A[i, k] * A[:i + 1, k]
    A[0, :] = C[0, 0]
