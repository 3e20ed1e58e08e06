import numpy as np


def helper(A):
    return A + 1
