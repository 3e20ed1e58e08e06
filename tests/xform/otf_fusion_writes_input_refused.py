"""otf-map-fusion refuses a reader that writes an input of the producer:
the fused map would read a[i + 1] while another iteration writes it."""
import numpy as np


# dfc: smear(a: float64[N], out: float64[N])
def smear(a, out):
    t = a * 2.0
    a[:-1] = t[1:] + t[:-1]
