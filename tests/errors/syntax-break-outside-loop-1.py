import numpy as np

# dfc: kern(A: float64[N])
def kern(A):
    if A[0] > 0.0:
        break
