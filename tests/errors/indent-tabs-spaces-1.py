import numpy as np

# dfc: kern(A: float64[N])
def kern(A):
        A[0] = 1.0
	A[1] = 2.0
