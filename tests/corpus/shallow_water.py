"""Shallow-water kernels of the corpus: the nonlinear shallow-water
equations in 1-D (dam break) and in a 2-D walled basin with the
Lax-Friedrichs scheme, and the linearised equations with Coriolis force on
an Arakawa C grid (closed basin, forward-backward time stepping), in the
spirit of the shallow-water benchmark of the data-centric Python work."""
import numpy as np

# dfc-test: sizes N=8,M=9 | N=13,M=12
# dfc-test: args nt=5 dt=0.002 g=9.81 f=0.5 H=10.0
# linear_sw_cgrid is unstable once M is large (c dt / dx > 1 from M = 51):
# at N=416, M=384 eta grows to 1e13 and its sum, 1.6e5, cancels 12 digits;
# NumPy's pairwise sum and a correctly rounded one (math.fsum) of the same
# eta differ by 4e-7 relative, so a tighter rtol tests the order of a sum.
# dfc-test: rtol linear_sw_cgrid=1e-5


def wall(a, sign):
    """Fills the ghost ring of a from the first interior ring, times sign
    (+1 for even quantities, -1 for the velocity normal to the wall)."""
    a[0, :] = sign * a[1, :]
    a[-1, :] = sign * a[-2, :]
    a[:, 0] = sign * a[:, 1]
    a[:, -1] = sign * a[:, -2]


def lax_friedrichs(q, fx, fy, cx, cy):
    """The Lax-Friedrichs update of the interior of q."""
    return 0.25 * (q[2:, 1:-1] + q[:-2, 1:-1] + q[1:-1, 2:] + q[1:-1, :-2]) - (
        cx * (fx[1:-1, 2:] - fx[1:-1, :-2]) + cy * (fy[2:, 1:-1] - fy[:-2, 1:-1]))


# dfc: dam_break_1d(h: float64[N], hu: float64[N], nt: int64, dt: float64, g: float64)
def dam_break_1d(h, hu, nt, dt, g):
    """1-D shallow water, Lax-Friedrichs with reflecting walls at both ends
    (ghost cells mirror h and negate hu); h and hu are updated in place."""
    n = h.shape[0]
    dx = 1.0 / n
    for t in range(nt):
        H = np.empty(n + 2)
        Q = np.empty(n + 2)
        H[1:-1] = h
        Q[1:-1] = hu
        H[0] = h[0]
        H[-1] = h[-1]
        Q[0] = -hu[0]
        Q[-1] = -hu[-1]
        F1 = Q
        F2 = Q * Q / H + 0.5 * g * H * H
        h[:] = 0.5 * (H[2:] + H[:-2]) - 0.5 * dt / dx * (F1[2:] - F1[:-2])
        hu[:] = 0.5 * (Q[2:] + Q[:-2]) - 0.5 * dt / dx * (F2[2:] - F2[:-2])


# dfc: linear_sw_cgrid(eta: float64[N, M], u: float64[N, M], v: float64[N, M], nt: int64, dt: float64, g: float64, f: float64, H: float64)
def linear_sw_cgrid(eta, u, v, nt, dt, g, f, H):
    """Linearised rotating shallow water on an Arakawa C grid in a closed
    basin: u[i, j] sits between eta[i, j] and eta[i, j+1], v[i, j] between
    eta[i, j] and eta[i+1, j]; the last column of u and last row of v are
    the walls (zero). Forward-backward steps: momentum, then continuity."""
    dx = 1.0 / eta.shape[1]
    dy = 1.0 / eta.shape[0]
    u[:, -1] = 0.0
    v[-1, :] = 0.0
    for t in range(nt):
        v_at_u = np.zeros_like(u)
        v_at_u[1:, :-1] = 0.25 * (v[1:, :-1] + v[1:, 1:] + v[:-1, :-1] + v[:-1, 1:])
        u_at_v = np.zeros_like(v)
        u_at_v[:-1, 1:] = 0.25 * (u[:-1, 1:] + u[1:, 1:] + u[:-1, :-1] + u[1:, :-1])
        u[:, :-1] += dt * (f * v_at_u[:, :-1] - g * (eta[:, 1:] - eta[:, :-1]) / dx)
        v[:-1, :] += dt * (-f * u_at_v[:-1, :] - g * (eta[1:, :] - eta[:-1, :]) / dy)
        div = np.empty_like(eta)
        div[:, 0] = u[:, 0] / dx
        div[:, 1:] = (u[:, 1:] - u[:, :-1]) / dx
        div[0, :] += v[0, :] / dy
        div[1:, :] += (v[1:, :] - v[:-1, :]) / dy
        eta -= dt * H * div
    return np.sum(eta)


# dfc: sw_2d_walls(h: float64[N, M], hu: float64[N, M], hv: float64[N, M], nt: int64, dt: float64, g: float64)
def sw_2d_walls(h, hu, hv, nt, dt, g):
    """2-D nonlinear shallow water in a box with reflecting walls (one ring
    of ghost cells), Lax-Friedrichs in conservative variables; returns the
    water volume of the interior after every step."""
    dx = 1.0 / (h.shape[1] - 2)
    dy = 1.0 / (h.shape[0] - 2)
    volume = np.empty(nt)
    for t in range(nt):
        wall(h, 1.0)
        wall(hu, -1.0)
        wall(hv, -1.0)
        u = hu / h
        v = hv / h
        p = 0.5 * g * h * h
        hn = lax_friedrichs(h, hu, hv, 0.5 * dt / dx, 0.5 * dt / dy)
        hun = lax_friedrichs(hu, hu * u + p, hu * v, 0.5 * dt / dx, 0.5 * dt / dy)
        hvn = lax_friedrichs(hv, hv * u, hv * v + p, 0.5 * dt / dx, 0.5 * dt / dy)
        h[1:-1, 1:-1] = hn
        hu[1:-1, 1:-1] = hun
        hv[1:-1, 1:-1] = hvn
        volume[t] = np.sum(h[1:-1, 1:-1]) * dx * dy
    return volume
