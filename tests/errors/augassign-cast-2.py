import numpy as np


# dfc: k(u: uint8[N], i: int16[N])
def k(u, i):
    u ^= i
