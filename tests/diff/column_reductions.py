"""Reductions over the leading axes of row-major arrays (column sums):
each thread adds whole rows into its own accumulator row with a simd
loop over the kept, contiguous axis, then the rows of the threads are
added (codegen/openmp/state.c). Sums, means, maxima (NaN wins) and
products over axis 0 of 2-D arrays and over axes 0..2 of 4-D ones;
float32, int32, int64 and bool inputs; single rows, single columns and
widths that are no multiple of the vector width."""
import numpy as np

# dfc-test: sizes N=7,M=5 | N=1,M=6 | N=6,M=1 | N=33,M=70 | N=300,M=37
# dfc-test: range A=-2,2 F=-2,2 I=-50,50 L=-9,9 P=0.5,1.5


# dfc: col_f64(A: float64[N, M], P: float64[N, M])
def col_f64(A, P):
    """Sum, mean, maximum and product of each column; A*A summed."""
    return (np.sum(A, axis=0), np.mean(A, axis=0), np.max(A, axis=0),
            np.prod(P, axis=0), np.sum(A * A, axis=0))


# dfc: col_f32(F: float32[N, M])
def col_f32(F):
    """float32 column sums (each column keeps NumPy's order of
    additions within a thread) and minima."""
    return np.sum(F, axis=0), np.min(F, axis=0), np.sum(F * 2.0, axis=0)


# dfc: col_int(I: int32[N, M], L: int64[N, M], A: float64[N, M])
def col_int(I, L, A):
    """Integer column sums (int32 sums in int64, as NumPy), a count of
    a condition per column, and an int32 maximum."""
    return (np.sum(I, axis=0), np.sum(L, axis=0), np.sum(A > 0.5, axis=0),
            np.max(I, axis=0), np.sum(L * L, axis=0))


# dfc: col_nan(A: float64[N, M])
def col_nan(A):
    """NaN in the last column and in the first row: every column sum and
    maximum it reaches is NaN; infinities elsewhere."""
    A[:, A.shape[1] - 1] = np.nan
    A[0, 0] = np.nan
    A[A.shape[0] - 1, A.shape[1] // 2] = np.inf
    return np.sum(A, axis=0), np.max(A, axis=0), np.mean(A, axis=0)


# dfc: nhwc_stats(A: float64[N, M, 3, 5], F: float32[N, M, 2, 9])
def nhwc_stats(A, F):
    """Per-channel mean and variance over axes 0..2 of NHWC tensors
    (batch normalisation's statistics), float64 and float32."""
    mu = np.mean(A, axis=(0, 1, 2), keepdims=True)
    var = np.mean((A - mu) ** 2, axis=(0, 1, 2))
    return mu, var, np.sum(F, axis=(0, 1, 2)), np.max(F, axis=(0, 1, 2))
