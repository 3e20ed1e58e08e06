import numpy as np

# dfc: kern(A: float64[N])
def kern(A):
    name = 'kern
    A *= 2.0
