"""vectorize refuses a body that calls a math-library function: without
-ffast-math the loop would not vectorize."""
import numpy as np


# dfc: k(a: float64[N])
def k(a):
    return np.exp(a)
