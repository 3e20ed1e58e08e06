"""reduction-into-producer refuses a reduction that computes more than the
element it reads (t * t here, after reduction-fusion): the producer's
tasklet has one value, t's."""
import numpy as np


# dfc: k(a: float64[N])
def k(a):
    t = a * 2.0
    u = t * t
    return t, np.sum(u)
