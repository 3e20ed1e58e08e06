"""Physics and miscellaneous scientific kernels of the corpus, after
NPBench's collection: N-body with leapfrog integration, go_fast, the
haversine arc distance, the 'compute' benchmark on integers, CRC-16 over
bytes, the Mandelbrot escape time in real arithmetic, a harmonic chain with
velocity Verlet, an RK4 pendulum, the Lennard-Jones energy and a sparse
matrix-vector product in CSR format."""
import numpy as np

# dfc-test: sizes N=8,M=9,K=3 | N=13,M=12,K=4
# dfc-test: args dt=0.01 G=1.0 soft=0.1 steps=6 maxit=20 nbins=5
# dfc-test: range pos=-1,1 vel=-0.5,0.5 theta_1=-1.5,1.5 phi_1=-3,3 theta_2=-1.5,1.5 phi_2=-3,3
# dfc-test: range array_1=0,20 array_2=0,20 a=1,5 b=1,5 c=1,5
# dfc-test: range data=0,256 cols=0,8 re=-2,0.5 im=-1.2,1.2 xs=0,1 zs=-1,1


def get_acc(pos, mass, G, soft):
    """Accelerations of all particles under softened Newtonian gravity."""
    dx = pos[np.newaxis, :, 0] - pos[:, np.newaxis, 0]
    dy = pos[np.newaxis, :, 1] - pos[:, np.newaxis, 1]
    dz = pos[np.newaxis, :, 2] - pos[:, np.newaxis, 2]
    inv_r3 = (dx ** 2 + dy ** 2 + dz ** 2 + soft ** 2) ** (-1.5)
    acc = np.empty_like(pos)
    acc[:, 0] = G * (dx * inv_r3) @ mass
    acc[:, 1] = G * (dy * inv_r3) @ mass
    acc[:, 2] = G * (dz * inv_r3) @ mass
    return acc


def get_energy(pos, vel, mass, G):
    """Kinetic and potential energy (each pair counted once)."""
    ke = 0.5 * np.sum(mass * np.sum(vel ** 2, axis=1))
    dx = pos[np.newaxis, :, 0] - pos[:, np.newaxis, 0]
    dy = pos[np.newaxis, :, 1] - pos[:, np.newaxis, 1]
    dz = pos[np.newaxis, :, 2] - pos[:, np.newaxis, 2]
    r = np.sqrt(dx ** 2 + dy ** 2 + dz ** 2)
    pe = 0.0
    n = pos.shape[0]
    for i in range(n):
        for j in range(i + 1, n):
            pe -= G * mass[i] * mass[j] / r[i, j]
    return ke, pe


# dfc: nbody(pos: float64[N, 3], vel: float64[N, 3], mass: float64[N], steps: int64, dt: float64, G: float64, soft: float64)
def nbody(pos, vel, mass, steps, dt, G, soft):
    """Kick-drift-kick leapfrog in the centre-of-mass frame; returns the
    kinetic and potential energy after every step."""
    vel -= np.mean(mass[:, np.newaxis] * vel, axis=0) / np.mean(mass)
    acc = get_acc(pos, mass, G, soft)
    KE = np.empty(steps + 1)
    PE = np.empty(steps + 1)
    KE[0], PE[0] = get_energy(pos, vel, mass, G)
    for i in range(steps):
        vel += acc * dt / 2.0
        pos += vel * dt
        acc = get_acc(pos, mass, G, soft)
        vel += acc * dt / 2.0
        KE[i + 1], PE[i + 1] = get_energy(pos, vel, mass, G)
    return KE, PE


# dfc: go_fast(a: float64[N, N])
def go_fast(a):
    """Adds the sum of tanh of the diagonal to every element."""
    trace = 0.0
    for i in range(a.shape[0]):
        trace += np.tanh(a[i, i])
    return a + trace


# dfc: arc_distance(theta_1: float64[N], phi_1: float64[N], theta_2: float64[N], phi_2: float64[N])
def arc_distance(theta_1, phi_1, theta_2, phi_2):
    """Great-circle distances on the unit sphere by the haversine formula."""
    temp = (np.sin((theta_2 - theta_1) / 2.0) ** 2 +
            np.cos(theta_1) * np.cos(theta_2) * np.sin((phi_2 - phi_1) / 2.0) ** 2)
    return 2.0 * np.arctan2(np.sqrt(temp), np.sqrt(1.0 - temp))


# dfc: compute(array_1: int64[N, M], array_2: int64[N, M], a: int64, b: int64, c: int64)
def compute(array_1, array_2, a, b, c):
    """Clipped affine combination of two integer arrays."""
    return np.clip(array_1, 2, 10) * a + array_2 * b + c


# dfc: crc16(data: uint8[N])
def crc16(data):
    """CRC-16/X.25 (reflected polynomial 0x8408) of a byte string."""
    poly = 0x8408
    crc = 0xFFFF
    for byte in data:
        cur = 0xFF & byte
        for k in range(8):
            if (crc & 0x0001) ^ (cur & 0x0001):
                crc = (crc >> 1) ^ poly
            else:
                crc >>= 1
            cur >>= 1
    crc = ~crc & 0xFFFF
    crc = (crc << 8) | ((crc >> 8) & 0xFF)
    return crc & 0xFFFF


# dfc: mandelbrot_real(re: float64[N, M], im: float64[N, M], maxit: int64)
def mandelbrot_real(re, im, maxit):
    """Escape iteration counts of z <- z^2 + c in real arithmetic, all points
    at once; points that escaped stop being updated."""
    x = np.zeros_like(re)
    y = np.zeros_like(im)
    count = np.zeros(re.shape, dtype=np.int64)
    for it in range(maxit):
        inside = x * x + y * y <= 4.0
        xn = np.where(inside, x * x - y * y + re, x)
        y = np.where(inside, 2.0 * x * y + im, y)
        x = xn
        count += inside
    return count


# dfc: harmonic_chain(xs: float64[N], vel: float64[N], steps: int64, dt: float64)
def harmonic_chain(xs, vel, steps, dt):
    """Velocity Verlet for a chain of unit masses and springs with fixed
    ends; returns the total energy after every step."""
    energy = np.empty(steps)
    f = np.zeros_like(xs)
    f[1:-1] = xs[2:] - 2.0 * xs[1:-1] + xs[:-2]
    for t in range(steps):
        vel[1:-1] += 0.5 * dt * f[1:-1]
        xs[1:-1] += dt * vel[1:-1]
        f[1:-1] = xs[2:] - 2.0 * xs[1:-1] + xs[:-2]
        vel[1:-1] += 0.5 * dt * f[1:-1]
        energy[t] = 0.5 * np.sum(vel ** 2) + 0.5 * np.sum((xs[1:] - xs[:-1]) ** 2)
    return energy


def pendulum_rhs(theta, omega):
    return omega, -np.sin(theta)


# dfc: pendulum_rk4(theta: float64[N], omega: float64[N], steps: int64, dt: float64)
def pendulum_rk4(theta, omega, steps, dt):
    """Classical Runge-Kutta for independent nonlinear pendulums."""
    for t in range(steps):
        k1t, k1w = pendulum_rhs(theta, omega)
        k2t, k2w = pendulum_rhs(theta + 0.5 * dt * k1t, omega + 0.5 * dt * k1w)
        k3t, k3w = pendulum_rhs(theta + 0.5 * dt * k2t, omega + 0.5 * dt * k2w)
        k4t, k4w = pendulum_rhs(theta + dt * k3t, omega + dt * k3w)
        theta += dt / 6.0 * (k1t + 2.0 * k2t + 2.0 * k3t + k4t)
        omega += dt / 6.0 * (k1w + 2.0 * k2w + 2.0 * k3w + k4w)
    return 0.5 * omega ** 2 - np.cos(theta)


# dfc: lennard_jones(pos: float64[N, 3])
def lennard_jones(pos):
    """Total Lennard-Jones energy (epsilon = sigma = 1) over distinct
    pairs, from the full distance matrix."""
    d = pos[:, np.newaxis, :] - pos[np.newaxis, :, :]
    r2 = np.sum(d * d, axis=2) + 1.0
    inv6 = 1.0 / r2 ** 3
    e = 4.0 * (inv6 * inv6 - inv6)
    return 0.5 * (np.sum(e) - np.trace(e))


# dfc: spmv_csr(nnz_row: int64[N], vals: float64[N, K], cols: int64[N, K], x: float64[M])
def spmv_csr(nnz_row, vals, cols, x):
    """Sparse matrix-vector product in CSR format: the row pointers are
    built from the per-row counts, the data packed from padded rows."""
    n = nnz_row.shape[0]
    counts = np.minimum(nnz_row, vals.shape[1])
    indptr = np.zeros(n + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(counts)
    data = np.empty(indptr[n])
    indices = np.empty(indptr[n], dtype=np.int64)
    for i in range(n):
        data[indptr[i]:indptr[i + 1]] = vals[i, :counts[i]]
        indices[indptr[i]:indptr[i + 1]] = cols[i, :counts[i]]
    y = np.zeros(n)
    for i in range(n):
        for k in range(indptr[i], indptr[i + 1]):
            y[i] += data[k] * x[indices[k]]
    return y
