"""Five-point diffusion stencil on a 2-D grid, written with named views.

The views alias the grid, so every sweep sees the values of the previous
one; the right-hand side is evaluated in full before the interior is
overwritten, as NumPy does.
"""
import numpy as np

# dfc-test: sizes N=16,M=16 | N=41,M=27
# dfc-test: args T=10 c=0.1


# dfc: stencil5(grid: float64[N, M], T: int64, c: float64)
def stencil5(grid, T, c):
    """Applies T explicit diffusion sweeps with coefficient c to grid in place."""
    center = grid[1:-1, 1:-1]
    north = grid[0:-2, 1:-1]
    south = grid[2:, 1:-1]
    west = grid[1:-1, 0:-2]
    east = grid[1:-1, 2:]
    for t in range(T):
        center[:, :] = center + c * (north + south + east + west - 4.0 * center)


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    grid = rng.random((128, 96)) + 0.5
    before = np.sum(grid)
    stencil5(grid, 50, 0.2)
    print("stencil5: 128x96 grid, sum before", before, "after", np.sum(grid))
