import numpy as np


def kern(A: "float64[N]", B: "double[N]"):
    B[:] = A
