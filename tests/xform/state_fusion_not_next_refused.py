"""state-fusion refuses two states that are not consecutive blocks of the
same block list: the second one is inside a loop."""
import numpy as np


# dfc: apart(a: float64[N], b: float64[N])
def apart(a, b):
    b[:] = 2.0 * a
    for i in range(3):
        b[:] = b + a
