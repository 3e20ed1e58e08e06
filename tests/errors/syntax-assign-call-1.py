import numpy as np

# dfc: kern(A: float64[N])
def kern(A):
    np.sum(A) = 0.0
