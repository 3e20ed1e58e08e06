"""Local names with non-ASCII letters (valid Python): dfc gives their
containers ASCII C names."""
import numpy as np

# dfc-test: sizes N=5 | N=2


# dfc: k(x: float64[N])
def k(x):
    été = x + 1.0
    for i in range(x.shape[0]):
        été[i] += 2.0
    α = été * 2.0
    return α
