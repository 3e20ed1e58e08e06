"""otf-map-fusion refuses when recomputing costs more than the temporary:
a 9-point stencil of exp(a) would evaluate exp nine times per element."""
import numpy as np


# dfc: smooth9(a: float64[N])
def smooth9(a):
    t = np.exp(a)
    return (t[:-8] + t[1:-7] + t[2:-6] + t[3:-5] + t[4:-4] + t[5:-3] + t[6:-2]
            + t[7:-1] + t[8:])
