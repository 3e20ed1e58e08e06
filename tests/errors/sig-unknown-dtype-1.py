import numpy as np

# dfc: kern(alpha: float64, A: float65[N, M])
def kern(alpha, A):
    A *= alpha
