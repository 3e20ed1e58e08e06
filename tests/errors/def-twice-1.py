import numpy as np


# dfc: f(a: float64[N])
def f(a):
    return a + 1


# dfc: f(a: float64[N])
def f(a):
    return a * 2
