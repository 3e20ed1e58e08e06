"""The schedule of loops that loop-parallelize runs in parallel
(passes/loop_parallel.c marks a loop `even` when its iterations do the
same work; codegen/openmp/emit.c, parallel_pragma): a loop over the
columns j of C[:, j] whose work leaves j out runs in one contiguous share
per thread; one whose work grows or shrinks with j is handed out in chunks
that fill a cache line of the columns it writes, so that two threads do
not write one line by turns; a loop with a branch, or one that writes one
element per iteration, keeps chunks of one iteration.
tests/wrap/loop_schedules.py checks the pragmas; here the results."""
import numpy as np

# dfc-test: sizes N=1,M=1 | N=3,M=2 | N=17,M=9 | N=40,M=33 | N=4,M=0


# dfc: columns(C: float64[N, M], A: float64[N, N], B: float64[N, M])
def columns(C, A, B):
    """Each column of C takes a dot with a column of B, then an update:
    the same work in every iteration (gramschmidt's shape)."""
    for j in range(C.shape[1]):
        s = A[0, :] @ B[:, j]
        C[:, j] += s * B[:, j]


# dfc: lower_columns(C: float64[N, M], A: float64[N, M])
def lower_columns(C, A):
    """Column j from row j on: less work as j grows."""
    for j in range(C.shape[1]):
        s = A[j:, j] @ A[j:, j]
        C[j:, j] = s * A[j:, j] + 1.0


# dfc: lower_columns32(C: float32[N, M], A: float32[N, M])
def lower_columns32(C, A):
    """lower_columns in float32: 16 columns fill a line."""
    for j in range(C.shape[1]):
        s = A[j:, j] @ A[j:, j]
        C[j:, j] = s * A[j:, j] + np.float32(1.0)


# dfc: branchy(C: float64[N, M], A: float64[N, M], x: float64[M])
def branchy(C, A, x):
    """A branch per column: the work depends on the data, and the
    iterations that write write whole columns."""
    for j in range(C.shape[1]):
        if x[j] > 0.5:
            C[:, j] = 2.0 * A[:, j]
        else:
            C[:, j] = A[:, j] * A[:, j] - 1.0


# dfc: autocorr(x: float64[N], d: float64[N])
def autocorr(x, d):
    """One element written per lag, by a dot whose length falls with it."""
    n = x.shape[0]
    for k in range(n):
        d[k] = x[:n - k] @ x[k:]
