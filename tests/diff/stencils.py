"""Stencils written with shifted slices, strided slices and named views in
1, 2 and 3 dimensions; periodic boundaries by explicit edge copies."""
import numpy as np

# dfc-test: sizes N=10,M=8,K=6 | N=4,M=5,K=3
# dfc-test: args T=3 c=0.1


# dfc: periodic1d(u: float64[N], T: int64, c: float64)
def periodic1d(u, T, c):
    """Advection with a periodic boundary handled through a ghost array."""
    g = np.zeros(u.shape[0] + 2)
    for t in range(T):
        g[1:-1] = u
        g[0] = u[-1]
        g[-1] = u[0]
        u[:] = u - c * (g[2:] - g[:-2]) * 0.5
    return g


# dfc: laplace3d(V: float64[N, M, K], c: float64)
def laplace3d(V, c):
    """Seven-point Laplacian of the interior of a 3-D grid, returned and added."""
    L = (V[:-2, 1:-1, 1:-1] + V[2:, 1:-1, 1:-1] + V[1:-1, :-2, 1:-1] +
         V[1:-1, 2:, 1:-1] + V[1:-1, 1:-1, :-2] + V[1:-1, 1:-1, 2:] -
         6.0 * V[1:-1, 1:-1, 1:-1])
    V[1:-1, 1:-1, 1:-1] += c * L
    return L


# dfc: restrict2d(F: float64[N, M])
def restrict2d(F):
    """Full-weighting-like restriction onto every other point (strided)."""
    C = F[::2, ::2] * 0.5
    C[:-1, :] += 0.25 * F[1:-1:2, ::2]
    return C


# dfc: sobel(I: float64[N, M])
def sobel(I):
    """Gradient magnitude with the Sobel operator on the interior."""
    gx = (I[:-2, 2:] + 2.0 * I[1:-1, 2:] + I[2:, 2:]
          - I[:-2, :-2] - 2.0 * I[1:-1, :-2] - I[2:, :-2])
    gy = (I[2:, :-2] + 2.0 * I[2:, 1:-1] + I[2:, 2:]
          - I[:-2, :-2] - 2.0 * I[:-2, 1:-1] - I[:-2, 2:])
    return np.sqrt(gx * gx + gy * gy)


# dfc: wave(u: float64[N], v: float64[N], T: int64, c: float64)
def wave(u, v, T, c):
    """Leapfrog for the 1-D wave equation with two time levels in place."""
    for t in range(T):
        v[1:-1] += c * (u[2:] - 2.0 * u[1:-1] + u[:-2])
        u[1:-1] += v[1:-1]
    return np.sum(u * u) + np.sum(v * v)
