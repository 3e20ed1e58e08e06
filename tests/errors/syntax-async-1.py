import numpy as np

# dfc: kern(A: float64[N])
async def kern(A):
    A *= 2.0
