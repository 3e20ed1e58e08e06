"""Jacobi relaxation of a 2-D grid with a periodic convergence check.

The boundary rows and columns hold fixed values; every sweep replaces each
interior point by the mean of its four neighbours. Every k sweeps the largest
change is compared with tol and the iteration stops once it falls below.
"""
import numpy as np

# dfc-test: sizes N=12,M=12 | N=33,M=20
# dfc-test: args max_iters=300 k=5 tol=1e-4


# dfc: jacobi2d(grid: float64[N, M], max_iters: int64, k: int64, tol: float64)
def jacobi2d(grid, max_iters, k, tol):
    """Relaxes grid in place; returns the number of sweeps done."""
    old = np.empty_like(grid)
    it = 0
    while it < max_iters:
        old[:, :] = grid
        grid[1:-1, 1:-1] = 0.25 * (old[:-2, 1:-1] + old[2:, 1:-1] +
                                   old[1:-1, :-2] + old[1:-1, 2:])
        it += 1
        if it % k == 0:
            diff = np.max(np.abs(grid - old))
            if diff < tol:
                break
    return it


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    grid = rng.random((64, 64)) + 0.5
    sweeps = jacobi2d(grid, 1000, 10, 1e-6)
    print("jacobi2d: 64x64 grid,", sweeps, "sweeps, mean", np.mean(grid))
