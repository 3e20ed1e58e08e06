import numpy as np


# dfc: axpb(alpha: float64, A: float64[Nÿÿÿÿÿÿÿÿ, M], b: float64[M])
def axpb(alpha, A, b):
    return alpha * A + b
