"""np.roll: positive, negative, symbolic and out-of-range shifts, along an
axis of a 2-D array and of a 1-D one, in periodic stencils."""
import numpy as np

# dfc-test: sizes N=6,M=5 | N=1,M=3
# dfc-test: args k=2


# dfc: roll_1d(x: float64[N])
def roll_1d(x):
    return np.roll(x, 2) + np.roll(x, -1) * 10.0 + np.roll(x, 7) * 100.0


# dfc: roll_axes(A: float64[N, M])
def roll_axes(A):
    return np.roll(A, 1, axis=0) - np.roll(A, -2, axis=1) + np.roll(A, 3, axis=-1)


# dfc: roll_symbolic(x: float64[N], k: int64)
def roll_symbolic(x, k):
    return np.roll(x, k), np.roll(x, -k)


# dfc: periodic_laplace(u: float64[N, M])
def periodic_laplace(u):
    """A periodic 5-point Laplacian, the way shallow-water codes write it."""
    return (np.roll(u, 1, axis=0) + np.roll(u, -1, axis=0) + np.roll(u, 1, axis=1)
            + np.roll(u, -1, axis=1) - 4.0 * u)


# dfc: roll_steps(u: float64[N, M], c: float64)
def roll_steps(u, c):
    """Upwind advection with periodic boundaries, a few steps in place."""
    for t in range(3):
        u[:] = u - c * (u - np.roll(u, 1, axis=1))
