"""Computational fluid dynamics kernels of the corpus: the lid-driven cavity
and the periodic channel flow of Barba's "12 steps to Navier-Stokes" (as in
NPBench's cavity_flow/channel_flow), viscous Burgers, upwind advection in
2-D, Lax-Wendroff advection, a 2-D Poisson solve with a source term and the
1-D Euler equations with the Rusanov flux."""
import numpy as np

# dfc-test: sizes NY=9,NX=8,N=12 | NY=13,NX=11,N=21
# dfc-test: args nt=4 nit=6 dt=0.001 rho=1.0 nu=0.1 F=1.0 c=0.5 cfl=0.4
# dfc-test: rtol 1e-9


def build_up_b(rho, dt, dx, dy, u, v):
    """The source term of the pressure Poisson equation (interior only)."""
    dudx = (u[1:-1, 2:] - u[1:-1, :-2]) / (2.0 * dx)
    dvdy = (v[2:, 1:-1] - v[:-2, 1:-1]) / (2.0 * dy)
    dudy = (u[2:, 1:-1] - u[:-2, 1:-1]) / (2.0 * dy)
    dvdx = (v[1:-1, 2:] - v[1:-1, :-2]) / (2.0 * dx)
    return rho * (1.0 / dt * (dudx + dvdy) - dudx ** 2 - 2.0 * dudy * dvdx - dvdy ** 2)


def pressure_poisson(nit, p, dx, dy, b):
    """nit Jacobi sweeps of the pressure Poisson equation with the cavity's
    boundary conditions (dp/dn = 0 on three walls, p = 0 at the lid)."""
    for q in range(nit):
        pn = p.copy()
        p[1:-1, 1:-1] = (((pn[1:-1, 2:] + pn[1:-1, :-2]) * dy ** 2 +
                          (pn[2:, 1:-1] + pn[:-2, 1:-1]) * dx ** 2) /
                         (2.0 * (dx ** 2 + dy ** 2)) -
                         dx ** 2 * dy ** 2 / (2.0 * (dx ** 2 + dy ** 2)) * b)
        p[:, -1] = p[:, -2]
        p[0, :] = p[1, :]
        p[:, 0] = p[:, 1]
        p[-1, :] = 0.0


# dfc: cavity_flow(nt: int64, nit: int64, u: float64[NY, NX], v: float64[NY, NX], p: float64[NY, NX], dt: float64, rho: float64, nu: float64)
def cavity_flow(nt, nit, u, v, p, dt, rho, nu):
    """Lid-driven cavity on [0, 2]^2: nt explicit time steps of the
    incompressible Navier-Stokes equations, the lid (last row) moving at 1."""
    ny = u.shape[0]
    nx = u.shape[1]
    dx = 2.0 / (nx - 1)
    dy = 2.0 / (ny - 1)
    for n in range(nt):
        un = u.copy()
        vn = v.copy()
        b = build_up_b(rho, dt, dx, dy, u, v)
        pressure_poisson(nit, p, dx, dy, b)
        u[1:-1, 1:-1] = (un[1:-1, 1:-1] -
                         un[1:-1, 1:-1] * dt / dx * (un[1:-1, 1:-1] - un[1:-1, :-2]) -
                         vn[1:-1, 1:-1] * dt / dy * (un[1:-1, 1:-1] - un[:-2, 1:-1]) -
                         dt / (2.0 * rho * dx) * (p[1:-1, 2:] - p[1:-1, :-2]) +
                         nu * (dt / dx ** 2 * (un[1:-1, 2:] - 2.0 * un[1:-1, 1:-1] + un[1:-1, :-2]) +
                               dt / dy ** 2 * (un[2:, 1:-1] - 2.0 * un[1:-1, 1:-1] + un[:-2, 1:-1])))
        v[1:-1, 1:-1] = (vn[1:-1, 1:-1] -
                         un[1:-1, 1:-1] * dt / dx * (vn[1:-1, 1:-1] - vn[1:-1, :-2]) -
                         vn[1:-1, 1:-1] * dt / dy * (vn[1:-1, 1:-1] - vn[:-2, 1:-1]) -
                         dt / (2.0 * rho * dy) * (p[2:, 1:-1] - p[:-2, 1:-1]) +
                         nu * (dt / dx ** 2 * (vn[1:-1, 2:] - 2.0 * vn[1:-1, 1:-1] + vn[1:-1, :-2]) +
                               dt / dy ** 2 * (vn[2:, 1:-1] - 2.0 * vn[1:-1, 1:-1] + vn[:-2, 1:-1])))
        u[0, :] = 0.0
        u[:, 0] = 0.0
        u[:, -1] = 0.0
        u[-1, :] = 1.0
        v[0, :] = 0.0
        v[-1, :] = 0.0
        v[:, 0] = 0.0
        v[:, -1] = 0.0


def periodic_x(a):
    """a with one ghost column on each side, wrapped around in x."""
    g = np.empty((a.shape[0], a.shape[1] + 2))
    g[:, 1:-1] = a
    g[:, 0] = a[:, -1]
    g[:, -1] = a[:, 0]
    return g


# dfc: channel_flow(nt: int64, nit: int64, u: float64[NY, NX], v: float64[NY, NX], p: float64[NY, NX], dt: float64, rho: float64, nu: float64, F: float64)
def channel_flow(nt, nit, u, v, p, dt, rho, nu, F):
    """Channel flow driven by a body force F, periodic in x, no-slip walls
    at the first and last rows; ghost columns carry the periodicity."""
    ny = u.shape[0]
    nx = u.shape[1]
    dx = 2.0 / (nx - 1)
    dy = 2.0 / (ny - 1)
    for n in range(nt):
        U = periodic_x(u)
        V = periodic_x(v)
        dudx = (U[1:-1, 2:] - U[1:-1, :-2]) / (2.0 * dx)
        dvdy = (V[2:, 1:-1] - V[:-2, 1:-1]) / (2.0 * dy)
        dudy = (U[2:, 1:-1] - U[:-2, 1:-1]) / (2.0 * dy)
        dvdx = (V[1:-1, 2:] - V[1:-1, :-2]) / (2.0 * dx)
        b = rho * (1.0 / dt * (dudx + dvdy) - dudx ** 2 - 2.0 * dudy * dvdx - dvdy ** 2)
        for q in range(nit):
            P = periodic_x(p)
            p[1:-1, :] = (((P[1:-1, 2:] + P[1:-1, :-2]) * dy ** 2 +
                           (P[2:, 1:-1] + P[:-2, 1:-1]) * dx ** 2) /
                          (2.0 * (dx ** 2 + dy ** 2)) -
                          dx ** 2 * dy ** 2 / (2.0 * (dx ** 2 + dy ** 2)) * b)
            p[0, :] = p[1, :]
            p[-1, :] = p[-2, :]
        P = periodic_x(p)
        u[1:-1, :] = (U[1:-1, 1:-1] -
                      U[1:-1, 1:-1] * dt / dx * (U[1:-1, 1:-1] - U[1:-1, :-2]) -
                      V[1:-1, 1:-1] * dt / dy * (U[1:-1, 1:-1] - U[:-2, 1:-1]) -
                      dt / (2.0 * rho * dx) * (P[1:-1, 2:] - P[1:-1, :-2]) +
                      nu * (dt / dx ** 2 * (U[1:-1, 2:] - 2.0 * U[1:-1, 1:-1] + U[1:-1, :-2]) +
                            dt / dy ** 2 * (U[2:, 1:-1] - 2.0 * U[1:-1, 1:-1] + U[:-2, 1:-1])) +
                      F * dt)
        v[1:-1, :] = (V[1:-1, 1:-1] -
                      U[1:-1, 1:-1] * dt / dx * (V[1:-1, 1:-1] - V[1:-1, :-2]) -
                      V[1:-1, 1:-1] * dt / dy * (V[1:-1, 1:-1] - V[:-2, 1:-1]) -
                      dt / (2.0 * rho * dy) * (P[2:, 1:-1] - P[:-2, 1:-1]) +
                      nu * (dt / dx ** 2 * (V[1:-1, 2:] - 2.0 * V[1:-1, 1:-1] + V[1:-1, :-2]) +
                            dt / dy ** 2 * (V[2:, 1:-1] - 2.0 * V[1:-1, 1:-1] + V[:-2, 1:-1])))
        u[0, :] = 0.0
        u[-1, :] = 0.0
        v[0, :] = 0.0
        v[-1, :] = 0.0
    return np.mean(u)


# dfc: burgers_1d(u: float64[N], nt: int64, nu: float64)
def burgers_1d(u, nt, nu):
    """Viscous Burgers' equation on [0, 2]: upwind convection, centred
    diffusion, a time step from the diffusion limit; ends held fixed."""
    dx = 2.0 / (u.shape[0] - 1)
    dt = 0.2 * dx * dx / nu
    for n in range(nt):
        un = u.copy()
        u[1:-1] = (un[1:-1] - un[1:-1] * dt / dx * (un[1:-1] - un[:-2]) +
                   nu * dt / dx ** 2 * (un[2:] - 2.0 * un[1:-1] + un[:-2]))
    return u


# dfc: advection_2d(u: float64[NY, NX], c: float64, nt: int64)
def advection_2d(u, c, nt):
    """First-order upwind advection with speed c along both axes; the first
    row and column are inflow boundaries held at 1."""
    dx = 2.0 / (u.shape[1] - 1)
    dy = 2.0 / (u.shape[0] - 1)
    dt = 0.2 * dx / c
    for n in range(nt):
        un = u.copy()
        u[1:, 1:] = (un[1:, 1:] - c * dt / dx * (un[1:, 1:] - un[1:, :-1]) -
                     c * dt / dy * (un[1:, 1:] - un[:-1, 1:]))
        u[0, :] = 1.0
        u[:, 0] = 1.0


# dfc: lax_wendroff(u: float64[N], cfl: float64, nt: int64)
def lax_wendroff(u, cfl, nt):
    """Lax-Wendroff linear advection with periodic ends (the last point
    duplicates the first); returns the total mass each step."""
    n = u.shape[0]
    mass = np.empty(nt)
    for t in range(nt):
        up = np.empty(n + 1)
        up[1:] = u
        up[0] = u[n - 2]
        un = np.empty(n)
        un[:-1] = up[2:]
        un[-1] = u[1]
        u[:] = (u - 0.5 * cfl * (un - up[:-1]) +
                0.5 * cfl * cfl * (un - 2.0 * u + up[:-1]))
        mass[t] = np.sum(u[:-1])
    return mass


# dfc: poisson_2d(f: float64[NY, NX], nit: int64)
def poisson_2d(f, nit):
    """Jacobi iterations for -lap(p) = f on the unit square, p = 0 on the
    boundary; returns p and the final residual's max norm."""
    h = 1.0 / (f.shape[0] - 1)
    p = np.zeros_like(f)
    for it in range(nit):
        p[1:-1, 1:-1] = 0.25 * (p[2:, 1:-1] + p[:-2, 1:-1] + p[1:-1, 2:] + p[1:-1, :-2] +
                                h * h * f[1:-1, 1:-1])
    r = f[1:-1, 1:-1] - (4.0 * p[1:-1, 1:-1] - p[2:, 1:-1] - p[:-2, 1:-1] -
                         p[1:-1, 2:] - p[1:-1, :-2]) / (h * h)
    return p, np.max(np.abs(r))


# dfc: euler_1d(rho0: float64[N], p0: float64[N], nt: int64, cfl: float64)
def euler_1d(rho0, p0, nt, cfl):
    """The 1-D Euler equations (gamma = 1.4) from a fluid at rest with the
    given density and pressure profiles: a first-order finite-volume scheme
    with the Rusanov flux, adaptive time steps and transmissive ends;
    returns density, velocity and pressure."""
    gam = 1.4
    n = rho0.shape[0]
    dx = 1.0 / n
    q = np.zeros((3, n))
    q[0] = rho0
    q[2] = p0 / (gam - 1.0)
    for t in range(nt):
        rho = q[0]
        u = q[1] / rho
        p = (gam - 1.0) * (q[2] - 0.5 * rho * u * u)
        c = np.sqrt(gam * p / rho)
        dt = cfl * dx / np.max(np.abs(u) + c)
        f = np.empty((3, n))
        f[0] = q[1]
        f[1] = q[1] * u + p
        f[2] = (q[2] + p) * u
        s = np.maximum(np.abs(u[:-1]) + c[:-1], np.abs(u[1:]) + c[1:])
        flux = 0.5 * (f[:, :-1] + f[:, 1:]) - 0.5 * s * (q[:, 1:] - q[:, :-1])
        q[:, 1:-1] -= dt / dx * (flux[:, 1:] - flux[:, :-1])
        q[:, 0] = q[:, 1]
        q[:, -1] = q[:, -2]
    rho = q[0]
    u = q[1] / rho
    return rho, u, (gam - 1.0) * (q[2] - 0.5 * rho * u * u)
