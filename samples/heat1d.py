"""Explicit finite differences for the 1-D heat equation, updated in place."""
import numpy as np

# dfc-test: sizes N=8 | N=300
# dfc-test: args nu=0.25 steps=40


# dfc: heat1d(u: float64[N], nu: float64, steps: int64)
def heat1d(u, nu, steps):
    """Advances u by steps explicit Euler steps; the end points stay fixed."""
    for t in range(steps):
        u[1:-1] += nu * (u[2:] - 2.0 * u[1:-1] + u[:-2])


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    u = rng.random(64)
    heat1d(u, 0.25, 100)
    print("heat1d: 64 points after 100 steps, min", np.min(u), "max", np.max(u))
