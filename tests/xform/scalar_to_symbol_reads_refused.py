"""scalar-to-symbol refuses a value that reads a container: c = c + 1
needs the previous value of c, which no symbol holds."""
import numpy as np


# dfc: kern(B: float64[N], n: int64)
def kern(B, n):
    c = 0
    for i in range(n):
        c = c + 1
        B[c] = 1.0
