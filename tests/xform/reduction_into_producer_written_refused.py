"""reduction-into-producer refuses a producer output written between the
two maps: the sum must see t[0] = 1."""
import numpy as np


# dfc: k(a: float64[N])
def k(a):
    t = a * 2.0
    t[0] = 1.0
    return t, np.sum(t)
