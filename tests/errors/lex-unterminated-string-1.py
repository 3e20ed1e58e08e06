import numpy as np

# dfc: kern(A: float64[N])
def kern(A):
    """Scales A.
    A *= 2.0
