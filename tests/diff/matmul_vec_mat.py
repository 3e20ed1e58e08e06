"""Vector-matrix products x @ B on the naive loops (integer, bool and
complex dtypes, which BLAS cannot take, and float64 at -O0): the columns
cut into one chunk per thread, a chunk taken in blocks of 1024 columns,
four rows of B added at a time and the rest one by one. The sizes give
every remainder of K by 4, fewer columns than a chunk's alignment (8),
chunks of one block and of two (M = 2100), and products large enough to
fork. Overwritten, accumulated (+=) and transposed (A.T @ x, read as
x @ A) outputs, and a strided output view. NumPy is the oracle."""
import numpy as np

# dfc-test: sizes K=9,M=7 | K=6,M=33 | K=35,M=2100 | K=1,M=16 | K=4,M=1 | K=67,M=530


# dfc: vm_int(x: int64[K], B: int64[K, M])
def vm_int(x, B):
    return x @ B


# dfc: vm_bool(x: bool[K], B: bool[K, M])
def vm_bool(x, B):
    return x @ B


# dfc: vm_complex(x: complex128[K], B: complex128[K, M])
def vm_complex(x, B):
    return x @ B


# dfc: vm_accumulate(x: int64[K], B: int64[K, M], y: int64[M])
def vm_accumulate(x, B, y):
    y += x @ B
    return y


# dfc: vm_transposed(A: int64[M, K], x: int64[M])
def vm_transposed(A, x):
    return A.T @ x


# dfc: vm_strided_out(x: int32[K], B: int32[K, M], y: int32[M, 2])
def vm_strided_out(x, B, y):
    y[:, 1] = x @ B
    return y


# dfc: vm_float(x: float64[K], B: float64[K, M])
def vm_float(x, B):
    return x @ B[:, ::-1]
