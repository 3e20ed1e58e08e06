"""Reductions of bools along an axis, whose accumulations (or for any and
max, and for all and min) the backend combines byte by byte in each
thread's private row (codegen/openmp/expr.c, cg_omp_update): np.any and
np.all over the rows and the columns, of transposed views too, np.max
and np.min of a bool array, and a column count."""
import numpy as np

# dfc-test: sizes N=1,M=1 | N=7,M=5 | N=67,M=129 | N=300,M=260


# dfc: any_all(A: float64[N, M])
def any_all(A):
    return (np.any(A > 1.4, axis=0), np.all(A > 0.52, axis=0), np.any(A > 1.45, axis=1),
            np.all(A < 1.48, axis=1))


# dfc: transposed(A: float64[N, M])
def transposed(A):
    return np.any(A.T > 1.4, axis=1), np.all(A.T > 0.52, axis=1)


# dfc: bool_minmax(b: bool[N, M])
def bool_minmax(b):
    return np.max(b, axis=0), np.min(b, axis=0), b.max(axis=1), b.min(axis=1)


# dfc: counts(A: float64[N, M])
def counts(A):
    return np.sum(A > 1.2, axis=0), (A < 0.7).any()
