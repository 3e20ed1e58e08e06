"""Extents that are one at run time though written differently: a slice
with a negative stop has N - 1 elements (with the precondition N >= 1),
np.arange(N - 1) has max(N - 1, 0). They broadcast together, as in NumPy
(they were refused: "shapes (N - 1,) and (max(N - 1, 0),) do not
broadcast")."""
import numpy as np

# dfc-test: sizes N=1,M=1 | N=2,M=2 | N=9,M=5 | N=100,M=7 | N=3,M=4


# dfc: ramp_shift(x: float64[N])
def ramp_shift(x):
    """Shifted right with a ramp added: into a slice of x itself."""
    x[1:] = x[:-1] + 0.5 * np.arange(x.shape[0] - 1)


# dfc: ramp_sum(x: float64[N])
def ramp_sum(x):
    """The clamped extent first: np.arange(N - 1) + x[:-1], returned."""
    return np.arange(x.shape[0] - 1) * 2.0 + x[:-1]


# dfc: ramp_rows(A: float64[N, M])
def ramp_rows(A):
    """Along the second axis of a 2-D slice."""
    return A[:, 1:] - np.arange(A.shape[1] - 1)
