"""reduction-into-producer refuses an accumulator used between the two
maps: c reads s before the loop adds t into it."""
import numpy as np


# dfc: k(a: float64[N])
def k(a):
    s = 0.0
    t = a * 2.0
    c = s + 1.0
    for i in range(a.shape[0]):
        s += t[i]
    return t, s, c
