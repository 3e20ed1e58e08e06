"""Kernels as scientists write them: n-body forces, bubble sort, prefix
sums, red-black SOR, a 2-D heat step with views, a Lorenz integrator."""
import numpy as np

# dfc-test: sizes N=8 | N=21
# dfc-test: args steps=6 dt=0.01 omega=1.5
# dfc-test: range x=-1,1


# dfc: nbody_forces(pos: float64[N, 3], mass: float64[N])
def nbody_forces(pos, mass):
    """Pairwise gravitational forces with softening, O(N^2) loops."""
    n = pos.shape[0]
    F = np.zeros((n, 3))
    for i in range(n):
        for j in range(n):
            if i != j:
                d = pos[j, :] - pos[i, :]
                r2 = np.sum(d * d) + 0.01
                F[i, :] += mass[i] * mass[j] * d / (r2 * np.sqrt(r2))
    return F, np.sum(F, axis=0)


# dfc: bubble_sort(x: float64[N])
def bubble_sort(x):
    """Sorts x in place with element swaps through a tuple assignment."""
    n = x.shape[0]
    swaps = 0
    for i in range(n):
        for j in range(n - 1 - i):
            if x[j] > x[j + 1]:
                x[j], x[j + 1] = x[j + 1], x[j]
                swaps += 1
    return swaps


# dfc: prefix_sums(x: float64[N])
def prefix_sums(x):
    """Inclusive and exclusive prefix sums and a running maximum."""
    inc = np.empty_like(x)
    exc = np.zeros_like(x)
    run = np.empty_like(x)
    s = 0.0
    m = x[0]
    for i in range(x.shape[0]):
        exc[i] = s
        s += x[i]
        inc[i] = s
        m = max(m, x[i])
        run[i] = m
    return inc, exc, run


# dfc: sor(G: float64[N, N], omega: float64, steps: int64)
def sor(G, omega, steps):
    """Red-black successive over-relaxation, in place, by element loops."""
    n = G.shape[0]
    for t in range(steps):
        for color in range(2):
            for i in range(1, n - 1):
                for j in range(1 + (i + color) % 2, n - 1, 2):
                    g = 0.25 * (G[i - 1, j] + G[i + 1, j] + G[i, j - 1] + G[i, j + 1])
                    G[i, j] = (1.0 - omega) * G[i, j] + omega * g
    return np.sum(G)


# dfc: heat2d(U: float64[N, N], steps: int64, dt: float64)
def heat2d(U, steps, dt):
    """Explicit 2-D heat steps through named views of a padded copy."""
    P = np.zeros((U.shape[0] + 2, U.shape[1] + 2))
    P[1:-1, 1:-1] = U
    c = P[1:-1, 1:-1]
    for t in range(steps):
        lap = P[:-2, 1:-1] + P[2:, 1:-1] + P[1:-1, :-2] + P[1:-1, 2:] - 4.0 * c
        c[:, :] = c + dt * 10.0 * lap
    U[:, :] = c
    return np.max(U), np.min(U)


# dfc: lorenz(x: float64[3], steps: int64, dt: float64)
def lorenz(x, steps, dt):
    """Forward Euler for the Lorenz system, state in a small array."""
    sigma = 10.0
    rho = 28.0
    beta = 8.0 / 3.0
    traj = np.zeros((steps, 3))
    for t in range(steps):
        dx = sigma * (x[1] - x[0])
        dy = x[0] * (rho - x[2]) - x[1]
        dz = x[0] * x[1] - beta * x[2]
        x[0] += dt * dx
        x[1] += dt * dy
        x[2] += dt * dz
        traj[t, :] = x
    return traj
