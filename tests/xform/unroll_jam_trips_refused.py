"""unroll-and-jam refuses a first parameter of fewer constant values than
the factor: every iteration would take the remainder loop."""
import numpy as np


# dfc: blur_rows(img: float64[6, M])
def blur_rows(img):
    rows = (img[:, :-2] + img[:, 1:-1] + img[:, 2:]) / 3.0
    return (rows[:-2, :] + rows[1:-1, :] + rows[2:, :]) / 3.0
