"""tests/fuzz/recipe_kernel.py -- the kernel the recipe fuzzing harness
applies its inputs to; tests/fuzz/run.sh seeds that harness with one recipe
per site that `dfc match` lists here."""
import numpy as np


# dfc: k(A: float64[N, M], x: float64[M], s: float64)
def k(A, x, s):
    t = A * 2.0
    u = t[1:, :] + t[:-1, :]
    for i in range(A.shape[0]):
        s = s + np.sum(A[i] * x)
    y = A @ x
    return u, y + s
