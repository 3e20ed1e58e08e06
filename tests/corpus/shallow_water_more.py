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


# dfc: shallow_water_2d(h: float64[N, M], u: float64[N, M], v: float64[N, M], nt: int64, dt: float64, g: float64)
def shallow_water_2d(h, u, v, nt, dt, g):
    """2-D nonlinear shallow water in conservative form with the
    Lax-Friedrichs scheme on the interior; the boundary values are copied
    from their neighbours (open boundaries). Returns the total volume."""
    dx = 1.0 / h.shape[1]
    dy = 1.0 / h.shape[0]
    hu = h * u
    hv = h * v
    for t in range(nt):
        fx_h = hu
        fx_hu = hu * hu / h + 0.5 * g * h * h
        fx_hv = hu * hv / h
        fy_h = hv
        fy_hu = hu * hv / h
        fy_hv = hv * hv / h + 0.5 * g * h * h
        hn = 0.25 * (h[2:, 1:-1] + h[:-2, 1:-1] + h[1:-1, 2:] + h[1:-1, :-2]) - (
            0.5 * dt / dx * (fx_h[1:-1, 2:] - fx_h[1:-1, :-2]) +
            0.5 * dt / dy * (fy_h[2:, 1:-1] - fy_h[:-2, 1:-1]))
        hun = 0.25 * (hu[2:, 1:-1] + hu[:-2, 1:-1] + hu[1:-1, 2:] + hu[1:-1, :-2]) - (
            0.5 * dt / dx * (fx_hu[1:-1, 2:] - fx_hu[1:-1, :-2]) +
            0.5 * dt / dy * (fy_hu[2:, 1:-1] - fy_hu[:-2, 1:-1]))
        hvn = 0.25 * (hv[2:, 1:-1] + hv[:-2, 1:-1] + hv[1:-1, 2:] + hv[1:-1, :-2]) - (
            0.5 * dt / dx * (fx_hv[1:-1, 2:] - fx_hv[1:-1, :-2]) +
            0.5 * dt / dy * (fy_hv[2:, 1:-1] - fy_hv[:-2, 1:-1]))
        h[1:-1, 1:-1] = hn
        hu[1:-1, 1:-1] = hun
        hv[1:-1, 1:-1] = hvn
        for a in (h, hu, hv):
            a[0, :] = a[1, :]
            a[-1, :] = a[-2, :]
            a[:, 0] = a[:, 1]
            a[:, -1] = a[:, -2]
    u[:, :] = hu / h
    v[:, :] = hv / h
    return np.sum(h) * dx * dy
