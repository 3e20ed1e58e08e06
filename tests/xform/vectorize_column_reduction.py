"""vectorize on maps of two or four parameters whose WCR writes go to
one element per iteration of their inner loop (column sums: c[_i1]): the
lanes of the simd loop update distinct elements, so no clause is
needed; the backend splits the rows between the threads, each adding
them into its own accumulator row (`#pragma omp simd` over the kept
axis), then adds the threads' rows. float64 and float32 sums, a NaN
propagating maximum, and the sum over axes 0..2 of an NHWC tensor."""
import numpy as np

# dfc-test: script tests/xform/vectorize_column_reduction.recipe.yaml
# dfc-test: sizes N=1,M=1,K=1 | N=37,M=29,K=5
# dfc-test: range a=-1,1 f=-1,1 t=-1,1


# dfc: cols(a: float64[N, M], f: float32[N, M], t: float64[N, M, K, 3])
def cols(a, f, t):
    c = a.sum(axis=0)
    g = np.sum(f, axis=0)
    m = np.max(np.where(a > 0.9, np.nan, a), axis=0)
    u = t.sum(axis=(0, 1, 2))
    return c, g, m, u
