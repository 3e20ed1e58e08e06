"""Loops over listed items: `for a in (h, hu, hv):` runs the body once per
item with the name bound to it (arrays by reference, updates in place
reach them), scalars too; the name keeps the last item after the loop."""
import numpy as np

# dfc-test: sizes N=6,M=5 | N=2,M=3


# dfc: halo_all(h: float64[N, M], hu: float64[N, M], hv: float64[N, M])
def halo_all(h, hu, hv):
    """Reflective boundaries on three fields, as shallow-water codes do."""
    for q in (h, hu, hv):
        q[0, :] = q[1, :]
        q[-1, :] = q[-2, :]
        q[:, 0] = q[:, 1]
        q[:, -1] = q[:, -2]


# dfc: weighted(x: float64[N], y: float64[N])
def weighted(x, y):
    s = 0.0
    for w in [0.5, 2.0, -1.0]:
        s += w * np.sum(x * y)
    t = np.zeros(x.shape[0])
    for a in (x, y, x + y):
        t += a * 2.0
    return s, t, a
