"""Stencil kernels of the corpus: PolyBench/NPBench-style relaxations and
time-stepped finite differences (Jacobi 1-D/2-D, 3-D heat, FDTD, Gauss-Seidel,
ADI) and the COSMO weather stencils (horizontal diffusion, vertical
advection). Written the way a scientist writes them with NumPy slices."""
import numpy as np

# dfc-test: sizes N=8,M=9,K=5,I=6,J=7,P=10,Q=11 | N=13,M=12,K=4,I=9,J=5,P=13,Q=9
# dfc-test: args TSTEPS=3 dt=0.05 nu=0.2


# dfc: jacobi_1d(TSTEPS: int64, A: float64[N], B: float64[N])
def jacobi_1d(TSTEPS, A, B):
    """Two half sweeps per step: A into B, then B back into A."""
    for t in range(1, TSTEPS):
        B[1:-1] = (A[:-2] + A[1:-1] + A[2:]) / 3.0
        A[1:-1] = (B[:-2] + B[1:-1] + B[2:]) / 3.0


# dfc: jacobi_2d(TSTEPS: int64, A: float64[N, N], B: float64[N, N])
def jacobi_2d(TSTEPS, A, B):
    """Five-point averaging, ping-ponged between A and B."""
    for t in range(1, TSTEPS):
        B[1:-1, 1:-1] = 0.2 * (A[1:-1, 1:-1] + A[1:-1, :-2] + A[1:-1, 2:] +
                               A[2:, 1:-1] + A[:-2, 1:-1])
        A[1:-1, 1:-1] = 0.2 * (B[1:-1, 1:-1] + B[1:-1, :-2] + B[1:-1, 2:] +
                               B[2:, 1:-1] + B[:-2, 1:-1])


# dfc: heat_3d(TSTEPS: int64, A: float64[N, N, N], B: float64[N, N, N])
def heat_3d(TSTEPS, A, B):
    """Explicit 3-D heat equation, seven-point Laplacian, ping-pong buffers."""
    for t in range(1, TSTEPS):
        B[1:-1, 1:-1, 1:-1] = (
            0.125 * (A[2:, 1:-1, 1:-1] - 2.0 * A[1:-1, 1:-1, 1:-1] + A[:-2, 1:-1, 1:-1]) +
            0.125 * (A[1:-1, 2:, 1:-1] - 2.0 * A[1:-1, 1:-1, 1:-1] + A[1:-1, :-2, 1:-1]) +
            0.125 * (A[1:-1, 1:-1, 2:] - 2.0 * A[1:-1, 1:-1, 1:-1] + A[1:-1, 1:-1, :-2]) +
            A[1:-1, 1:-1, 1:-1])
        A[1:-1, 1:-1, 1:-1] = (
            0.125 * (B[2:, 1:-1, 1:-1] - 2.0 * B[1:-1, 1:-1, 1:-1] + B[:-2, 1:-1, 1:-1]) +
            0.125 * (B[1:-1, 2:, 1:-1] - 2.0 * B[1:-1, 1:-1, 1:-1] + B[1:-1, :-2, 1:-1]) +
            0.125 * (B[1:-1, 1:-1, 2:] - 2.0 * B[1:-1, 1:-1, 1:-1] + B[1:-1, 1:-1, :-2]) +
            B[1:-1, 1:-1, 1:-1])


# dfc: fdtd_2d(TSTEPS: int64, ex: float64[N, M], ey: float64[N, M], hz: float64[N, M], fict: float64[K])
def fdtd_2d(TSTEPS, ex, ey, hz, fict):
    """2-D finite-difference time-domain (Yee) update of E and H fields."""
    for t in range(TSTEPS):
        ey[0, :] = fict[t]
        ey[1:, :] -= 0.5 * (hz[1:, :] - hz[:-1, :])
        ex[:, 1:] -= 0.5 * (hz[:, 1:] - hz[:, :-1])
        hz[:-1, :-1] -= 0.7 * (ex[:-1, 1:] - ex[:-1, :-1] + ey[1:, :-1] - ey[:-1, :-1])


# dfc: seidel_2d(TSTEPS: int64, A: float64[N, N])
def seidel_2d(TSTEPS, A):
    """Gauss-Seidel nine-point smoothing: rows use already updated values,
    and within a row each point sees its updated left neighbour."""
    n = A.shape[0]
    for t in range(TSTEPS - 1):
        for i in range(1, n - 1):
            A[i, 1:-1] += (A[i - 1, :-2] + A[i - 1, 1:-1] + A[i - 1, 2:] +
                           A[i, 2:] + A[i + 1, :-2] + A[i + 1, 1:-1] + A[i + 1, 2:])
            for j in range(1, n - 1):
                A[i, j] += A[i, j - 1]
                A[i, j] /= 9.0


# dfc: adi(TSTEPS: int64, u: float64[N, N])
def adi(TSTEPS, u):
    """Alternating-direction implicit sweeps: a tridiagonal solve along the
    columns, then along the rows, each by forward elimination and back
    substitution vectorised over the other axis."""
    n = u.shape[0]
    v = np.empty_like(u)
    p = np.empty_like(u)
    q = np.empty_like(u)
    dx = 1.0 / n
    dy = 1.0 / n
    dt = 1.0 / TSTEPS
    mul1 = 2.0 * dt / (dx * dx)
    mul2 = dt / (dy * dy)
    a = -mul1 / 2.0
    b = 1.0 + mul1
    c = a
    d = -mul2 / 2.0
    e = 1.0 + mul2
    f = d
    for t in range(1, TSTEPS + 1):
        v[0, 1:-1] = 1.0
        p[1:-1, 0] = 0.0
        q[1:-1, 0] = v[0, 1:-1]
        for j in range(1, n - 1):
            p[1:-1, j] = -c / (a * p[1:-1, j - 1] + b)
            q[1:-1, j] = (-d * u[j, :-2] + (1.0 + 2.0 * d) * u[j, 1:-1] - f * u[j, 2:] -
                          a * q[1:-1, j - 1]) / (a * p[1:-1, j - 1] + b)
        v[-1, 1:-1] = 1.0
        for j in range(n - 2, 0, -1):
            v[j, 1:-1] = p[1:-1, j] * v[j + 1, 1:-1] + q[1:-1, j]
        u[1:-1, 0] = 1.0
        p[1:-1, 0] = 0.0
        q[1:-1, 0] = u[1:-1, 0]
        for j in range(1, n - 1):
            p[1:-1, j] = -f / (d * p[1:-1, j - 1] + e)
            q[1:-1, j] = (-a * v[:-2, j] + (1.0 + 2.0 * a) * v[1:-1, j] - c * v[2:, j] -
                          d * q[1:-1, j - 1]) / (d * p[1:-1, j - 1] + e)
        u[1:-1, -1] = 1.0
        for j in range(n - 2, 0, -1):
            u[1:-1, j] = p[1:-1, j] * u[1:-1, j + 1] + q[1:-1, j]


# dfc: hdiff(in_field: float64[P, Q, K], out_field: float64[I, J, K], coeff: float64[I, J, K])
def hdiff(in_field, out_field, coeff):
    """Fourth-order horizontal diffusion with flux limiting (COSMO); in_field
    carries a halo of two points on each side of the I and J axes."""
    I = out_field.shape[0]
    J = out_field.shape[1]
    lap = 4.0 * in_field[1:I + 3, 1:J + 3, :] - (
        in_field[2:I + 4, 1:J + 3, :] + in_field[0:I + 2, 1:J + 3, :] +
        in_field[1:I + 3, 2:J + 4, :] + in_field[1:I + 3, 0:J + 2, :])
    dx = lap[1:, 1:J + 1, :] - lap[:-1, 1:J + 1, :]
    flx = np.where(dx * (in_field[2:I + 3, 2:J + 2, :] - in_field[1:I + 2, 2:J + 2, :]) > 0.0,
                   0.0, dx)
    dy = lap[1:I + 1, 1:, :] - lap[1:I + 1, :-1, :]
    fly = np.where(dy * (in_field[2:I + 2, 2:J + 3, :] - in_field[2:I + 2, 1:J + 2, :]) > 0.0,
                   0.0, dy)
    out_field[:, :, :] = in_field[2:I + 2, 2:J + 2, :] - coeff * (
        flx[1:, :, :] - flx[:-1, :, :] + fly[:, 1:, :] - fly[:, :-1, :])


# dfc: vadv(utens_stage: float64[I, J, K], u_stage: float64[I, J, K], wcon: float64[P, J, K], u_pos: float64[I, J, K], utens: float64[I, J, K], dtr_stage: float64)
def vadv(utens_stage, u_stage, wcon, u_pos, utens, dtr_stage):
    """Implicit vertical advection (COSMO): per column a tridiagonal system
    along K built from the vertical wind, solved by the Thomas algorithm with
    all I x J columns at once."""
    I = u_stage.shape[0]
    K = u_stage.shape[2]
    beta_v = 0.0
    bet_m = 0.5 * (1.0 - beta_v)
    bet_p = 0.5 * (1.0 + beta_v)
    ccol = np.empty_like(u_stage)
    dcol = np.empty_like(u_stage)
    data_col = np.empty_like(u_stage[:, :, 0])

    gcv = 0.25 * (wcon[1:I + 1, :, 1] + wcon[:I, :, 1])
    cs = gcv * bet_m
    ccol[:, :, 0] = gcv * bet_p
    bcol = dtr_stage - ccol[:, :, 0]
    corr = -cs * (u_stage[:, :, 1] - u_stage[:, :, 0])
    dcol[:, :, 0] = dtr_stage * u_pos[:, :, 0] + utens[:, :, 0] + utens_stage[:, :, 0] + corr
    divided = 1.0 / bcol
    ccol[:, :, 0] = ccol[:, :, 0] * divided
    dcol[:, :, 0] = dcol[:, :, 0] * divided

    for k in range(1, K - 1):
        gav = -0.25 * (wcon[1:I + 1, :, k] + wcon[:I, :, k])
        gcv = 0.25 * (wcon[1:I + 1, :, k + 1] + wcon[:I, :, k + 1])
        as_ = gav * bet_m
        cs = gcv * bet_m
        acol = gav * bet_p
        ccol[:, :, k] = gcv * bet_p
        bcol = dtr_stage - acol - ccol[:, :, k]
        corr = (-as_ * (u_stage[:, :, k - 1] - u_stage[:, :, k]) -
                cs * (u_stage[:, :, k + 1] - u_stage[:, :, k]))
        dcol[:, :, k] = dtr_stage * u_pos[:, :, k] + utens[:, :, k] + utens_stage[:, :, k] + corr
        divided = 1.0 / (bcol - ccol[:, :, k - 1] * acol)
        ccol[:, :, k] = ccol[:, :, k] * divided
        dcol[:, :, k] = (dcol[:, :, k] - dcol[:, :, k - 1] * acol) * divided

    gav = -0.25 * (wcon[1:I + 1, :, K - 1] + wcon[:I, :, K - 1])
    as_ = gav * bet_m
    acol = gav * bet_p
    bcol = dtr_stage - acol
    corr = -as_ * (u_stage[:, :, K - 2] - u_stage[:, :, K - 1])
    dcol[:, :, K - 1] = (dtr_stage * u_pos[:, :, K - 1] + utens[:, :, K - 1] +
                         utens_stage[:, :, K - 1] + corr)
    divided = 1.0 / (bcol - ccol[:, :, K - 2] * acol)
    dcol[:, :, K - 1] = (dcol[:, :, K - 1] - dcol[:, :, K - 2] * acol) * divided

    data_col[:, :] = dcol[:, :, K - 1]
    utens_stage[:, :, K - 1] = dtr_stage * (data_col - u_pos[:, :, K - 1])
    for k in range(K - 2, -1, -1):
        data_col[:, :] = dcol[:, :, k] - ccol[:, :, k] * data_col
        utens_stage[:, :, k] = dtr_stage * (data_col - u_pos[:, :, k])


# dfc: heat_1d_implicit(u: float64[N], nu: float64, TSTEPS: int64)
def heat_1d_implicit(u, nu, TSTEPS):
    """Backward-Euler heat equation with fixed ends: each step solves the
    tridiagonal system (1 + 2 nu) u_i - nu (u_{i-1} + u_{i+1}) = u_i^old
    with the Thomas algorithm."""
    n = u.shape[0]
    cp = np.zeros(n)
    dp = np.zeros(n)
    for t in range(TSTEPS):
        cp[1] = -nu / (1.0 + 2.0 * nu)
        dp[1] = (u[1] + nu * u[0]) / (1.0 + 2.0 * nu)
        for i in range(2, n - 1):
            m = 1.0 + 2.0 * nu + nu * cp[i - 1]
            cp[i] = -nu / m
            rhs = u[i]
            if i == n - 2:
                rhs = rhs + nu * u[n - 1]
            dp[i] = (rhs + nu * dp[i - 1]) / m
        u[n - 2] = dp[n - 2]
        for i in range(n - 3, 0, -1):
            u[i] = dp[i] - cp[i] * u[i + 1]
    return u


# dfc: wave_2d(u: float64[N, M], u_prev: float64[N, M], TSTEPS: int64, dt: float64)
def wave_2d(u, u_prev, TSTEPS, dt):
    """Leapfrog second-order wave equation on a unit-spaced grid with fixed
    (Dirichlet) edges; returns the final field."""
    c2 = (dt * dt) * 0.5
    for t in range(TSTEPS):
        u_next = u.copy()
        u_next[1:-1, 1:-1] = (2.0 * u[1:-1, 1:-1] - u_prev[1:-1, 1:-1] + c2 * (
            u[2:, 1:-1] + u[:-2, 1:-1] + u[1:-1, 2:] + u[1:-1, :-2] - 4.0 * u[1:-1, 1:-1]))
        u_prev[:, :] = u
        u[:, :] = u_next
    return u
