"""outer-map-fusion refuses two maps writing one array at elements that
overlap: columns 0::2 and 0::4 (residues 0 modulo gcd(2, 4) = 2 both),
where the second's value must win."""
import numpy as np


# dfc: kern(x: float64[N, M], y: float64[N, M])
def kern(x, y):
    out = np.zeros((x.shape[0], 4 * x.shape[1]))
    out[:, 0::2] = np.concatenate((x, y), axis=1)
    out[:, 0::4] = y + 1.0
    return out
