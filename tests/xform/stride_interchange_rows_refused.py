"""stride-interchange refuses a map whose inner parameter already walks
every array along its rows: no order is better."""
import numpy as np


# dfc: add2(A: float64[N, M], B: float64[N, M])
def add2(A, B):
    return A + 2.0 * B
