"""dead-dataflow-elimination refuses a state with nothing dead: it writes
only an argument, which the caller sees."""
import numpy as np


# dfc: update(a: float64[N], b: float64[N])
def update(a, b):
    b[:] = np.exp(a)
    return a + 1.0
