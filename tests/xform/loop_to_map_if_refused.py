"""loop-to-map refuses a loop whose body has control flow (an if): a map's
body is one dataflow state."""
import numpy as np


# dfc: clip(x: float64[N], t: float64)
def clip(x, t):
    for i in range(x.shape[0]):
        if t > 0.0:
            x[i] = x[i] * t
