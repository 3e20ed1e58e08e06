"""Physics and miscellaneous scientific kernels of the corpus, after
NPBench's collection: N-body with leapfrog integration, go_fast, the
haversine arc distance, the 'compute' benchmark on integers, CRC-16 over
bytes, the Mandelbrot escape time (real arithmetic and complex), the naive
azimuthal integration, a harmonic chain with velocity Verlet, an RK4
pendulum, the Lennard-Jones energy, sparse matrix-vector products (CSR and
ELLPACK) and particle deposition onto a grid."""
import numpy as np

# dfc-test: sizes N=8,M=9,K=3 | N=13,M=12,K=4
# dfc-test: args dt=0.01 G=1.0 soft=0.1 steps=6 maxit=20 nbins=5
# dfc-test: range pos=-1,1 vel=-0.5,0.5 theta_1=-1.5,1.5 phi_1=-3,3 theta_2=-1.5,1.5 phi_2=-3,3
# dfc-test: range array_1=0,20 array_2=0,20 a=1,5 b=1,5 c=1,5
# dfc-test: range data=0,256 cols=0,8 re=-2,0.5 im=-1.2,1.2 xs=0,1 zs=-1,1 radius=0,1


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


# dfc: azimint_naive(data: float64[N], radius: float64[N], nbins: int64)
def azimint_naive(data, radius, nbins):
    """Mean intensity in nbins equal-width radial shells (boolean masks)."""
    rmax = radius.max()
    res = np.zeros(nbins)
    for i in range(nbins):
        r1 = rmax * i / nbins
        r2 = rmax * (i + 1) / nbins
        mask = (r1 <= radius) & (radius < r2)
        res[i] = data[mask].mean()
    return res


# dfc: deposit(xs: float64[N], q: float64[N], M: int64)
def deposit(xs, q, M):
    """Cloud-in-cell deposition of charges at positions in [0, 1) onto M
    periodic grid cells."""
    rho = np.zeros(M)
    for p in range(xs.shape[0]):
        s = xs[p] * M
        i = int(np.floor(s))
        w = s - i
        rho[i % M] += q[p] * (1.0 - w)
        rho[(i + 1) % M] += q[p] * w
    return rho


# dfc: mandelbrot_complex(re: float64[N, M], im: float64[N, M], maxit: int64)
def mandelbrot_complex(re, im, maxit):
    """The same escape counts written with complex numbers."""
    c = re + 1j * im
    z = np.zeros_like(c)
    count = np.zeros(c.shape, dtype=np.int64)
    for it in range(maxit):
        inside = np.abs(z) <= 2.0
        z = np.where(inside, z * z + c, z)
        count += inside
    return count


# dfc: spmv_ell(vals: float64[N, K], cols: int64[N, K], x: float64[M])
def spmv_ell(vals, cols, x):
    """Sparse matrix-vector product in ELLPACK format (K entries a row)."""
    return np.sum(vals * x[cols], axis=1)
