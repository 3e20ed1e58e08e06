"""Elementwise formulas: the GELU activation and the Lennard-Jones potential."""
import numpy as np

# dfc-test: sizes N=50,M=7 | N=1000,M=3
# dfc-test: range x=-3,3
# dfc-test: range r=0.9,2.5


# dfc: gelu(x: float64[N, M])
def gelu(x):
    """GELU with the tanh approximation used by transformer models."""
    inner = 0.7978845608028654 * (x + 0.044715 * x ** 3)
    return 0.5 * x * (1.0 + np.tanh(inner))


# dfc: lennard_jones(r: float64[N], eps: float64, sigma: float64)
def lennard_jones(r, eps, sigma):
    """Pair energies 4 eps ((s/r)^12 - (s/r)^6) and their total."""
    s6 = (sigma / r) ** 6
    energy = 4.0 * eps * (s6 * s6 - s6)
    return energy, np.sum(energy)


# dfc: softplus(x: float64[N])
def softplus(x):
    """The smooth rectifier log(1 + exp(x))."""
    return np.log(1.0 + np.exp(x))


if __name__ == "__main__":
    rng = np.random.default_rng(0)
    x = rng.random((4, 5)) * 6.0 - 3.0
    r = rng.random(8) + 0.9
    print("gelu: mean", np.mean(gelu(x)))
    energy, total = lennard_jones(r, 1.0, 1.0)
    print("lennard_jones: total", total)
    print("softplus: mean", np.mean(softplus(x[0])))
