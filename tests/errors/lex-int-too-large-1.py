import numpy as np

# dfc: kern(A: int64[N])
def kern(A):
    A[:] = 123456789012345678901234567890
