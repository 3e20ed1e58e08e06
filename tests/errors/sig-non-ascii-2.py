import numpy as np


def k(été: "float64[N]"):
    return été + 1.0
