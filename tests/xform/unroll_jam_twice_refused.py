"""unroll-and-jam applies once per map."""
import numpy as np


# dfc: blur(img: float64[N, M])
def blur(img):
    rows = (img[:, :-2] + img[:, 1:-1] + img[:, 2:]) / 3.0
    return (rows[:-2, :] + rows[1:-1, :] + rows[2:, :]) / 3.0
