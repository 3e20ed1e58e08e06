"""Shallow-water kernels of the corpus: the nonlinear shallow-water
equations in 1-D (dam break) and 2-D with the Lax-Friedrichs scheme, the
linearised equations with Coriolis force on an Arakawa C grid (closed
basin, forward-backward time stepping) and a periodic variant in the
style of the shallow-water benchmark of the data-centric Python work."""
import numpy as np

# dfc-test: sizes N=8,M=9 | N=13,M=12
# dfc-test: args nt=5 dt=0.002 g=9.81 f=0.5 H=10.0


# dfc: shallow_water_periodic(eta: float64[N, M], u: float64[N, M], v: float64[N, M], nt: int64, dt: float64, g: float64, H: float64)
def shallow_water_periodic(eta, u, v, nt, dt, g, H):
    """Linear shallow water on a doubly periodic C grid, neighbours taken
    with np.roll, forward-backward time stepping."""
    dx = 1.0 / eta.shape[1]
    dy = 1.0 / eta.shape[0]
    for t in range(nt):
        u -= dt * g * (np.roll(eta, -1, axis=1) - eta) / dx
        v -= dt * g * (np.roll(eta, -1, axis=0) - eta) / dy
        eta -= dt * H * ((u - np.roll(u, 1, axis=1)) / dx + (v - np.roll(v, 1, axis=0)) / dy)
    return np.sum(eta * eta)
