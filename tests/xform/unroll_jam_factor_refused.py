"""unroll-and-jam takes a factor from 2 to 16."""
import numpy as np


# dfc: blur(img: float64[N, M])
def blur(img):
    rows = (img[:, :-2] + img[:, 1:-1] + img[:, 2:]) / 3.0
    return (rows[:-2, :] + rows[1:-1, :] + rows[2:, :]) / 3.0
